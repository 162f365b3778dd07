// Work done in slices: a long job (validating a 4 MB file) written as a generator that yields
// at points where it may pause, so a host can answer requests in between and drop the job when
// its document changes. A host that has no reason to pause drains it in one go.

/** A job that yields between slices and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Run a job to its end at once. */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}
