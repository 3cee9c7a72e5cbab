/** The server package's public surface: what tests, benchmarks and embedders use. */
export { Nudge, type NudgeOptions } from "./nudge.js";
export { loadConfig, validateConfig, ConfigError, type Config } from "./config/load.js";
export { defaultConfig } from "./config/defaults.js";
export { FakeClock, systemClock, type Clock, SECOND, MINUTE, HOUR, DAY } from "./clock.js";
export { errorCodes, NudgeError, type ErrorCode } from "./errors.js";
