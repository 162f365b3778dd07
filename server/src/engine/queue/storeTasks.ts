// Writing tasks for a daemon to run: what `hook post-receive` and `start` without --wait do.
// Kept apart from the engine facade so the hook, which git runs on every push, loads the task
// store and the site's destinations only (no queue, no transports, no child processes).
import type { Target } from '../site/targets';
import { StoreWriteError, type StoredTask, type TaskStore } from './taskStore';

/** One task per target that takes at least one of `refs`; returns how many were stored. */
export function storeTasksFor(store: TaskStore, targets: readonly Target[], refs: readonly string[]): number {
  const tasks: StoredTask[] = [];
  for (const t of targets) {
    const wanted = refs.filter((r) => t.dest.wouldPushRef(r));
    if (wanted.length) tasks.push({ project: t.project, refs: wanted, uri: t.url, remote: t.dest.name });
  }
  let n = 0;
  for (const t of tasks) {
    try {
      store.create(t);
    } catch (e) {
      throw new StoreWriteError(n, tasks.length, e);
    }
    n++;
  }
  return n;
}
