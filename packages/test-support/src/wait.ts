/**
 * Polls a positive condition in real time, with a deadline. Only for effects that have no event to
 * wait on — real I/O of a child process (`test/cli/`), a PostgreSQL backend's lock state — and
 * never to check that something did NOT happen: a poll that times out proves nothing on a slow
 * machine. Effects of a node's dispatcher are awaited with the node's `settle()` or the receiver's
 * events instead.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what ?? "a condition"}`);
    await new Promise((resolve) => {
      // eslint-disable-next-line no-restricted-syntax -- the pause between polls of a condition with no event
      setTimeout(resolve, options.intervalMs ?? 10);
    });
  }
}
