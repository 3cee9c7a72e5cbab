import { describe, expect, it } from "vitest";
import { EndpointBreaker, endpointOf } from "../../src/delivery/endpoint-breaker.js";

const hole = "http://10.0.0.9:8080";

describe("the endpoint breaker", () => {
  it("parks an endpoint after parkAfterTimeouts time-outs in a row, for the first step of its schedule", () => {
    const breaker = new EndpointBreaker({ parkAfterTimeouts: 3, parkSeconds: [5, 30] });
    expect(breaker.record(hole, "timed-out", 0)).toBeNull();
    expect(breaker.record(hole, "timed-out", 10)).toBeNull();
    expect(breaker.state(hole, 10)).toBe("closed");
    expect(breaker.record(hole, "timed-out", 20)).toBe(5020);
    expect(breaker.state(hole, 5019)).toBe("parked");
    expect(breaker.parkedUntil(hole, 100)).toBe(5020);
  });

  it("counts only time-outs in a row: an answer (even a 500) closes it, a refused connection changes nothing", () => {
    const breaker = new EndpointBreaker({ parkAfterTimeouts: 2, parkSeconds: [5] });
    breaker.record(hole, "timed-out", 0);
    breaker.record(hole, "answered", 1);
    expect(breaker.record(hole, "timed-out", 2)).toBeNull();
    expect(breaker.record(hole, "unreachable", 3)).toBeNull();
    expect(breaker.record(hole, "timed-out", 4)).toBe(5004);
  });

  it("probes once the park ends: an answer closes it, a time-out parks it for the next step", () => {
    const breaker = new EndpointBreaker({ parkAfterTimeouts: 1, parkSeconds: [5, 30] });
    breaker.record(hole, "timed-out", 0);
    expect(breaker.state(hole, 5000)).toBe("probing");
    expect(breaker.record(hole, "timed-out", 5000)).toBe(35_000);
    expect(breaker.state(hole, 35_000)).toBe("probing");
    // The last step repeats.
    expect(breaker.record(hole, "timed-out", 35_000)).toBe(65_000);
    breaker.record(hole, "answered", 65_000);
    expect(breaker.state(hole, 65_000)).toBe("closed");
    expect(breaker.size).toBe(0);
  });

  it("takes no news from POSTs that time out while the endpoint is parked (they started before)", () => {
    const breaker = new EndpointBreaker({ parkAfterTimeouts: 1, parkSeconds: [5, 30] });
    breaker.record(hole, "timed-out", 0);
    expect(breaker.record(hole, "timed-out", 100)).toBeNull();
    expect(breaker.parkedUntil(hole, 100)).toBe(5000);
  });
});

describe("the endpoint of a notification URL", () => {
  it("is the scheme, host and port", () => {
    expect(endpointOf("https://hooks.example.com/a/b?x=1")).toBe("https://hooks.example.com");
    expect(endpointOf("http://127.0.0.1:3000/hook")).toBe("http://127.0.0.1:3000");
    expect(endpointOf("http://[::1]:3000?token=1")).toBe("http://[::1]:3000");
    expect(endpointOf("https://hooks.example.com")).toBe("https://hooks.example.com");
  });
});
