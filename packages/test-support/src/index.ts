/**
 * Test helpers shared by the server's and the receiver's tests, imported as `@nudge/test-support`
 * (a private workspace package, so neither package reaches into the other's test folder).
 */
export * from "./database.js";
export * from "./nudge.js";
export * from "./wait.js";
