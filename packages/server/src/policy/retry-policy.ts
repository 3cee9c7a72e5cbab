/**
 * Retry policies are data. After a failed attempt, the policy says when the next one is due, or
 * that the notification is dropped (into a dead letter).
 *
 * | surface    | schedule after each failure                  | gives up                      |
 * |------------|----------------------------------------------|-------------------------------|
 * | sharepoint | 5 min, 5 times                               | after the 6th attempt (+25 min)|
 * | graph      | 1, 2, 4, 8 min (exponential back-off)        | after the attempt at +15 min  |
 * | onenote    | 1, 2, 4, 8 min ("a few times with exponential back-off") | after the 5th attempt |
 * | native     | `delivery.nativeRetrySeconds` (config)       | when the schedule runs out    |
 */
export interface RetryPolicy {
  /** Delay after the 1st, 2nd, … failure. When the list runs out the notification is dropped. */
  delaysMs: number[];
  /** Drop once this long has passed since the first attempt (OneDrive: 15 minutes). */
  deadlineMs?: number;
  /** Random spread, as a fraction of the delay (0.1 = ±10 %), so failures do not retry in lockstep. */
  jitter?: number;
}

/**
 * When the next attempt is due after `attemptsMade` failed attempts, or null to drop.
 * `random` is injectable so jitter is testable.
 *
 * A deadline is a promise to keep trying until then, so an attempt that would fall after it is
 * moved to the deadline itself: delays count from when an attempt was actually made, which is
 * always a little after it was due, and without the clamp OneDrive's schedule (+0, +1, +3, +7,
 * +15 min) would lose its last attempt to a few milliseconds of drift. The attempt at the
 * deadline is the last one: once the deadline has been reached, nothing is scheduled.
 */
export function nextAttemptAt(
  policy: RetryPolicy,
  attemptsMade: number,
  firstAttemptAt: number,
  now: number,
  random: () => number = Math.random,
): number | null {
  const delay = policy.delaysMs[attemptsMade - 1];
  if (delay === undefined) return null;
  const spread = policy.jitter ? delay * policy.jitter * (random() * 2 - 1) : 0;
  const due = now + Math.round(delay + spread);
  if (policy.deadlineMs === undefined) return due;
  const deadline = firstAttemptAt + policy.deadlineMs;
  if (now >= deadline) return null;
  return Math.min(due, deadline);
}

const MINUTE = 60_000;

export const sharePointRetryPolicy: RetryPolicy = { delaysMs: [5, 5, 5, 5, 5].map((m) => m * MINUTE) };

/** OneDrive: exponential back-off; "if the request is not successful after 15 minutes, the notification is dropped". */
export const oneDriveRetryPolicy: RetryPolicy = {
  delaysMs: [1, 2, 4, 8, 16].map((m) => m * MINUTE),
  deadlineMs: 15 * MINUTE,
};

/** OneNote: "we'll retry a few times with exponential backoff and ultimately discard the message". */
export const oneNoteRetryPolicy: RetryPolicy = { delaysMs: [1, 2, 4, 8].map((m) => m * MINUTE) };

export function scheduleFromSeconds(seconds: readonly number[], jitter = 0.1): RetryPolicy {
  return { delaysMs: seconds.map((s) => s * 1000), jitter };
}
