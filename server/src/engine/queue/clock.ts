// Time as the queue sees it. Tests and benchmarks scale every delay (GIT_REPLICATION_TIME_SCALE)
// so Gerrit's seconds and minutes become milliseconds while real git pushes still run.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** The scale from the environment (a positive number), or 1. */
export function timeScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const v = Number(env.GIT_REPLICATION_TIME_SCALE);
  return Number.isFinite(v) && v > 0 ? v : 1;
}
