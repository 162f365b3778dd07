// The daemon's side of inferred project deletions (replicateProjectDeletions): its options, the
// scans handed to the tracker (engine/deletions.ts), the deletions and the loud refusals it
// logs, and the state it leaves for the dry run (`plan`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args';
import type { Engine } from '../engine/engine';
import type { LogLevel } from '../engine/queue/queue';
import { DEFAULT_DELETION_POLICY, DELETION_STATE_FILE, DeletionTracker, type DeletionPolicy, type DeletionState } from '../engine/queue/deletions';
import { displayUrl } from '../engine/transport/invocation';

/** --deletion-delay SECONDS|off and --deletion-max-share PERCENT. */
export function deletionPolicy(delay: unknown, share: unknown): DeletionPolicy {
  const p = { ...DEFAULT_DELETION_POLICY };
  if (delay !== undefined) {
    if (delay === 'off') p.delayMs = Infinity;
    else {
      const n = Number(delay);
      if (typeof delay !== 'string' || delay.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError("--deletion-delay must be a number of seconds ≥ 0, or 'off'");
      p.delayMs = n * 1000;
    }
  }
  if (share !== undefined) {
    const n = Number(share);
    if (typeof share !== 'string' || share.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 100) throw new UsageError('--deletion-max-share must be a percentage in (0, 100]');
    p.maxShare = n / 100;
  }
  return p;
}

/** Scans in; deletions, loud refusals and the dry run's state out. */
export class ProjectDeletions {
  private readonly tracker: DeletionTracker;
  private lastRefusal: string | undefined;
  private readonly running = new Set<string>();
  private readonly loops = new Set<string>();
  private lastState = '';

  constructor(
    private readonly engine: Engine,
    private readonly policy: DeletionPolicy,
    private readonly log: (level: LogLevel, message: string) => void,
  ) {
    this.tracker = new DeletionTracker(engine.site.basePath, policy);
  }

  observe(scan: ReturnType<Engine['scan']>): void {
    for (const l of scan.loops)
      if (!this.loops.has(l)) {
        this.loops.add(l);
        this.log('warning', `project scan: ${l} in basePath leads to a directory already scanned; skipped`);
      }
    // Refused names are still there: never a reason to delete a mirror.
    const v = this.tracker.observe({ projects: [...scan.projects, ...scan.refused.map((r) => r.project)], errors: scan.errors, loops: scan.loops }, Date.now());
    if (v.kind === 'refused') {
      if (v.reason !== this.lastRefusal)
        this.log('error', `project scan: ${v.reason}. This scan is not evidence that projects were deleted: nothing is deleted. To delete a project's mirrors on purpose, run 'git-replication delete-project PROJECT'`);
      this.lastRefusal = v.reason;
      this.publish();
      return;
    }
    if (this.lastRefusal) this.log('info', `project scan: basePath readable again, ${scan.projects.length} project(s)`);
    this.lastRefusal = undefined;
    const off = this.policy.delayMs === Infinity;
    for (const p of v.newlyMissing)
      this.log(
        'warning',
        off
          ? `project ${p} is missing from basePath; inferred deletions are off: run 'git-replication delete-project ${p}' to delete its mirrors`
          : `project ${p} is missing from basePath; its mirrors are deleted if it stays missing for ${this.policy.delayMs / 1000}s (at least ${this.policy.minScans} scans)`,
      );
    for (const p of v.confirmed) {
      if (this.running.has(p)) continue;
      this.running.add(p);
      this.engine
        .deleteProject(p)
        .then(
          (rs) => {
            for (const r of rs)
              if (r.ok) this.log('info', `deleted project ${p} on ${r.remote}: ${displayUrl(r.url)}${r.path ? ` (removed ${r.path})` : ''}${r.absent ? ' (nothing was there)' : ''}`);
              else this.log('error', `cannot delete project ${p} on ${r.remote}: ${displayUrl(r.url)}: ${r.error}`);
            if (rs.every((r) => r.ok)) this.tracker.forget(p);
          },
          (e) => this.log('error', `project deletion of ${p} refused: ${(e as Error).message}`),
        )
        .finally(() => {
          this.running.delete(p);
          this.publish();
        });
    }
    this.publish();
  }

  /** Tell the dry run what is pending (only when it changed; a failed write is logged once). */
  private publish(): void {
    const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null);
    const pending = this.tracker.pending().map((p) => ({ project: p.project, since: iso(p.since)!, due: iso(p.due) }));
    const body = JSON.stringify({ refused: this.lastRefusal, pending });
    if (body === this.lastState) return;
    const state: DeletionState = { updated: new Date().toISOString(), ...(this.lastRefusal ? { refused: this.lastRefusal } : {}), pending };
    try {
      writeFileSync(join(this.engine.site.eventsDir, DELETION_STATE_FILE), JSON.stringify(state, null, 2) + '\n');
      this.lastState = body;
    } catch (e) {
      if (this.lastState !== 'failed') this.log('error', `cannot write ${DELETION_STATE_FILE} for the dry run: ${(e as Error).message}`);
      this.lastState = 'failed';
    }
  }
}
