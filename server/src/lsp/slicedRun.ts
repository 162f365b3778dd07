// Runs a sliced job (service/slices) on the server's one thread without making requests wait
// for it: it works for at most `sliceMs`, then gives the event loop a turn (setImmediate, after
// whatever input arrived meanwhile), so a hover or a completion sent during a 4 MB validation is
// answered after one slice. Before each slice it asks `stale`: a job whose document has changed
// or closed, or whose request was cancelled, is dropped and resolves undefined.
import type { Steps } from '../service/slices';

/** A slice's length: short enough that a request waits little, long enough that yielding costs little. */
export const SLICE_MS = 15;

export function runSliced<T>(steps: Steps<T>, stale: () => boolean, sliceMs = SLICE_MS): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const slice = () => {
      try {
        if (stale()) {
          steps.return(undefined as T);
          resolve(undefined);
          return;
        }
        const until = performance.now() + sliceMs;
        for (;;) {
          const r = steps.next();
          if (r.done) {
            resolve(r.value);
            return;
          }
          if (performance.now() >= until) break;
        }
        setImmediate(slice);
      } catch (err) {
        reject(err);
      }
    };
    slice();
  });
}
