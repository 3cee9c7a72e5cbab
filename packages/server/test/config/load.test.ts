import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { ConfigError, loadConfig } from "../../src/config/load.js";

const dir = mkdtempSync(join(tmpdir(), "nudge-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function configFile(content: unknown): string {
  const path = join(dir, `config-${files++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

function loadError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration precedence: defaults < file < NUDGE_* environment < flags", () => {
  it("uses the defaults when nothing else is given", () => {
    expect(loadConfig({ env: {} })).toEqual(defaultConfig);
  });

  it("lets the config file override a default and keeps the other defaults of that section", () => {
    const config = loadConfig({ env: {}, file: configFile({ server: { port: 9001 } }) });
    expect(config.server.port).toBe(9001);
    expect(config.server.host).toBe(defaultConfig.server.host);
  });

  it("lets the environment override the config file", () => {
    const file = configFile({ server: { port: 9001 }, delivery: { coalesceWindowMs: 10 } });
    const config = loadConfig({ env: { NUDGE_PORT: "9002" }, file });
    expect(config.server.port).toBe(9002);
    expect(config.delivery.coalesceWindowMs).toBe(10);
  });

  it("lets flags override the environment", () => {
    const file = configFile({ server: { port: 9001 } });
    const config = loadConfig({ env: { NUDGE_PORT: "9002" }, file, flags: { server: { port: 9003 } } });
    expect(config.server.port).toBe(9003);
  });

  it("reads the config file named by NUDGE_CONFIG when no file is passed", () => {
    const config = loadConfig({ env: { NUDGE_CONFIG: configFile({ log: { level: "debug" } }) } });
    expect(config.log.level).toBe("debug");
  });

  it("parses environment numbers, booleans and lists into the setting's type", () => {
    const config = loadConfig({
      env: { NUDGE_COALESCE_WINDOW_MS: "0", NUDGE_DEV: "true", NUDGE_NATIVE_RETRY_SECONDS: "1, 2,3" },
    });
    expect(config.delivery.coalesceWindowMs).toBe(0);
    expect(config.server.dev).toBe(true);
    expect(config.delivery.nativeRetrySeconds).toEqual([1, 2, 3]);
  });

  it("returns a frozen configuration", () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.delivery)).toBe(true);
  });
});

describe("configuration errors name the field", () => {
  it("refuses a negative delivery time-out from the file, naming delivery.timeoutMs", () => {
    const message = loadError(() =>
      loadConfig({ env: {}, file: configFile({ delivery: { timeoutMs: -1 } }) }),
    );
    expect(message).toMatch(/delivery\.timeoutMs: must be >= 1/);
  });

  it("refuses a port out of range given as a flag, naming server.port", () => {
    const message = loadError(() => loadConfig({ env: {}, flags: { server: { port: 70000 } } }));
    expect(message).toMatch(/server\.port: must be <= 65535/);
  });

  it("refuses an unknown log level, naming log.level", () => {
    const message = loadError(() => loadConfig({ env: { NUDGE_LOG_LEVEL: "loud" } }));
    expect(message).toMatch(/log\.level: must be equal to one of the allowed values/);
  });

  it("refuses an unknown key in the config file, naming it", () => {
    const message = loadError(() =>
      loadConfig({ env: {}, file: configFile({ delivery: { timeoutSeconds: 5 } }) }),
    );
    expect(message).toMatch(/delivery: must NOT have additional properties 'timeoutSeconds'/);
  });

  it("refuses an unknown top-level section in the config file", () => {
    const message = loadError(() => loadConfig({ env: {}, file: configFile({ servers: {} }) }));
    expect(message).toMatch(/must NOT have additional properties 'servers'/);
  });

  it("refuses an environment number that is not a number, naming the variable", () => {
    const message = loadError(() => loadConfig({ env: { NUDGE_DELIVERY_TIMEOUT_MS: "5s" } }));
    expect(message).toBe("NUDGE_DELIVERY_TIMEOUT_MS: '5s' is not a number");
  });

  it("refuses an environment boolean that is not true or false", () => {
    const message = loadError(() => loadConfig({ env: { NUDGE_DEV: "yes" } }));
    expect(message).toBe("NUDGE_DEV: 'yes' is not true or false");
  });

  it("refuses a list from the environment with an entry that is not a number, naming the entry", () => {
    const message = loadError(() => loadConfig({ env: { NUDGE_NATIVE_RETRY_SECONDS: "5,soon" } }));
    expect(message).toBe("NUDGE_NATIVE_RETRY_SECONDS: 'soon' is not a number");
  });

  it.each([" ", "0x10", "1e3", "", "5,"])(
    "refuses %j where a number is expected, rather than reading it as one",
    (raw) => {
      const env = raw.includes(",") ? { NUDGE_NATIVE_RETRY_SECONDS: raw } : { NUDGE_PORT: raw };
      if (raw === "") {
        // An empty variable is unset: the default stands.
        expect(loadConfig({ env }).server.port).toBe(8080);
        return;
      }
      expect(loadError(() => loadConfig({ env }))).toMatch(/is not a number/);
    },
  );

  it("refuses a fractional environment number for an integer setting", () => {
    const message = loadError(() => loadConfig({ env: { NUDGE_PORT: "80.5" } }));
    expect(message).toMatch(/server\.port: must be integer/);
  });

  it("refuses a config file that is not JSON, naming the file", () => {
    const file = configFile("{ port: 1 ");
    const message = loadError(() => loadConfig({ env: {}, file }));
    expect(message).toContain(`config file ${file} is not valid JSON`);
  });

  it("refuses a config file that does not exist", () => {
    const message = loadError(() => loadConfig({ env: {}, file: join(dir, "missing.json") }));
    expect(message).toMatch(/cannot read config file .*missing\.json/);
  });

  it("refuses a default lifetime longer than the maximum lifetime", () => {
    const message = loadError(() =>
      loadConfig({ env: {}, flags: { subscriptions: { defaultLifetimeDays: 200, maxLifetimeDays: 180 } } }),
    );
    expect(message).toMatch(
      /subscriptions\.defaultLifetimeDays: must not exceed subscriptions\.maxLifetimeDays/,
    );
  });

  it("lists every problem at once", () => {
    const file = configFile({ delivery: { timeoutMs: 0, maxBatchSize: "many" } });
    const message = loadError(() => loadConfig({ env: {}, file }));
    expect(message).toMatch(/delivery\.timeoutMs/);
    expect(message).toMatch(/delivery\.maxBatchSize/);
  });
});
