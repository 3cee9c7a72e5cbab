/** Clocks, percentiles and the machine, as every benchmark prints them. */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";

/** Wall-clock milliseconds with sub-ms resolution, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  const r = (x) => (x === null ? null : round2(x));
  return { p50: r(pick(0.5)), p99: r(pick(0.99)), max: r(sorted.at(-1) ?? null) };
}

export function round2(x) {
  return Math.round(x * 100) / 100;
}

export function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function log(line) {
  console.log(line);
}

/** What the JSON result says about where it was measured. */
export function machine() {
  return {
    date: new Date().toISOString(),
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    loadAverage: loadavg().map((x) => round2(x)),
  };
}
