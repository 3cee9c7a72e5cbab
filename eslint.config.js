// Lint config: typescript-eslint's recommended rules over the TypeScript sources and tests.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "coverage/**", ".tmp/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  // Tests (and the helpers in packages/test-support) never wait for real time to pass: "wait N ms, then check that nothing more arrived" passes
  // on a slow machine without checking anything. They wait on events instead: the receiver's
  // `next()`/`waitForNotifications()`, the node's `settle()` (the dispatcher has finished all work
  // due at the fake clock's time), or a promise the code under test resolves. Calling `sleep(` or
  // `setTimeout(` in a test is an error. The few deliberate delays — a receiver that answers late
  // on purpose, the polling `waitFor` for real I/O of a child process — say why in an
  // `eslint-disable-next-line no-restricted-syntax -- reason` comment beside the timer.
  {
    files: ["packages/*/test/**/*.ts", "packages/test-support/src/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name=/^(sleep|setTimeout)$/]",
          message:
            "Tests do not wait for time to pass: wait on an event (receiver.next(), settle(), a promise).",
        },
        {
          selector: "CallExpression[callee.property.name='setTimeout']",
          message:
            "Tests do not wait for time to pass: wait on an event (receiver.next(), settle(), a promise).",
        },
      ],
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "node:timers/promises",
              message: "Tests do not wait for time to pass: wait on an event.",
            },
            { name: "timers/promises", message: "Tests do not wait for time to pass: wait on an event." },
          ],
        },
      ],
    },
  },
);
