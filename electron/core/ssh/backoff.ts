export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Fraction of the delay that is randomised away, so many clients dropped together do not return together. */
  jitter: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 1_000, capMs: 30_000, jitter: 0.25 };

/** Delay before reconnect attempt `attempt` (0-based): doubling from baseMs up to capMs, then jittered downwards. */
export function backoffDelay(attempt: number, options: BackoffOptions = defaultBackoff, random: () => number = Math.random): number {
  const exponential = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(exponential * (1 - options.jitter * random()));
}
