// What `daemon --metrics` exposes, computed at each scrape: the queue by state, pushes, failures
// and mass deletions per remote, push durations, the last success of each target (from the target
// records, so it survives restarts), and the targets behind with how long. "Behind" joins two
// sources: the last drift check (status.ts, run by the daemon every --status-interval) and the
// queue (a target with a push waiting or running is behind since that push's first update).
import type { Engine } from '../engine';
import type { Attempt } from './targetState';
import { TargetStateStore } from './targetState';
import type { StatusResult } from './status';
import { HistogramSeries, PromText, type Labels } from './promText';

/** Push durations, seconds: from a local push to a slow WAN full sync. */
export const DURATION_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] as const;

const HEALTHS = ['in-sync', 'behind', 'diverged', 'missing-repository', 'unreachable'] as const;
/** The mirror lacks or differs from what the source has. */
const BEHIND = new Set<string>(['behind', 'diverged', 'missing-repository']);

const key = (remote: string, url: string, project: string) => `${remote}\n${url}\n${project}`;

export interface AttemptTarget {
  remote: string;
  /** As shown (no user info). */
  url: string;
  project: string;
  fullSync: boolean;
}

export class EngineMetrics {
  private readonly pushes = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly massDeletions = new Map<string, number>();
  private readonly durations = new Map<string, HistogramSeries>();
  private status?: { at: number; durationMs: number; result: StatusResult };
  /** Targets a full sync brought in sync after the last drift check (so it no longer counts them). */
  private readonly syncedSince = new Set<string>();

  constructor(private readonly engine: Engine, private readonly now: () => number = Date.now) {}

  /** One finished push attempt (wired to the engine's onAttempt). */
  observe(t: AttemptTarget, a: Attempt): void {
    const r = t.remote;
    this.pushes.set(r, (this.pushes.get(r) ?? 0) + 1);
    if (a.result !== 'ok') this.failures.set(r, (this.failures.get(r) ?? 0) + 1);
    if (a.massDeletion) this.massDeletions.set(r, (this.massDeletions.get(r) ?? 0) + 1);
    let h = this.durations.get(r);
    if (!h) this.durations.set(r, (h = new HistogramSeries(DURATION_BUCKETS)));
    h.observe(a.durationMs / 1000);
    if (a.result === 'ok' && t.fullSync) this.syncedSince.add(key(r, t.url, t.project));
  }

  /** The result of a drift check (siteStatus) and how long it took. */
  setStatus(result: StatusResult, durationMs: number): void {
    this.status = { at: Date.parse(result.at), durationMs, result };
    this.syncedSince.clear();
  }

  render(): string {
    const now = this.now();
    const remotes = this.engine.dests.map((d) => d.name);
    const perRemote = (m: Map<string, number>) => remotes.map((remote) => ({ labels: { remote }, value: m.get(remote) ?? 0 }));
    const w = new PromText();

    const snap = this.engine.queue.snapshot();
    const waiting = snap.pending.filter((o) => !o.retrying).length;
    w.metric('git_replication_queue_tasks', 'gauge', "Pushes in the daemon's queue, by state.", [
      { labels: { state: 'waiting' }, value: waiting },
      { labels: { state: 'retrying' }, value: snap.pending.length - waiting },
      { labels: { state: 'running' }, value: snap.inFlight.length },
    ]);
    w.metric('git_replication_pushes_total', 'counter', 'Push attempts since the daemon started, per remote.', perRemote(this.pushes));
    w.metric('git_replication_push_failures_total', 'counter', 'Push attempts that did not succeed (failed, retried, or with rejected refs), per remote.', perRemote(this.failures));
    w.metric('git_replication_mass_deletions_total', 'counter', 'Full syncs that deleted more mirror refs than the ref deletion guard allows, per remote.', perRemote(this.massDeletions));
    w.histogram('git_replication_push_duration_seconds', 'How long push attempts took, per remote.', DURATION_BUCKETS,
      remotes.map((remote) => {
        const h = this.durations.get(remote) ?? new HistogramSeries(DURATION_BUCKETS);
        return { labels: { remote }, counts: h.counts, overflow: h.overflow, sum: h.sum };
      }));

    // From the target records: every push of any process (daemon, start --wait, the editor).
    const records = new TargetStateStore(this.engine.site.eventsDir).readAll().states.filter((s) => this.engine.destination(s.remote) && s.lastSuccess);
    records.sort((a, b) => (key(a.remote, a.url, a.project) < key(b.remote, b.url, b.project) ? -1 : 1));
    w.metric('git_replication_last_success_timestamp_seconds', 'gauge', 'When the last successful push to each target started (Unix time).',
      records.map((s) => ({ labels: { remote: s.remote, url: s.url, project: s.project }, value: Date.parse(s.lastSuccess!.at) / 1000 })));

    const behind = new Map<string, { labels: Labels; since?: number }>();
    const mark = (remote: string, url: string, project: string, since: number | undefined) => {
      const k = key(remote, url, project);
      const b = behind.get(k) ?? { labels: { remote, url, project } };
      if (since !== undefined && Number.isFinite(since)) b.since = b.since === undefined ? since : Math.min(b.since, since);
      behind.set(k, b);
    };
    for (const t of this.status?.result.targets ?? []) {
      if (!BEHIND.has(t.health) || this.syncedSince.has(key(t.remote, t.url, t.project))) continue;
      mark(t.remote, t.url, t.project, t.oldestUnreplicated ? Date.parse(t.oldestUnreplicated) : undefined);
    }
    for (const op of [...snap.pending, ...snap.inFlight]) mark(op.dest.name, op.display, op.project, op.createdAt);
    const counts = new Map<string, number>();
    for (const b of behind.values()) counts.set(b.labels.remote, (counts.get(b.labels.remote) ?? 0) + 1);
    w.metric('git_replication_targets_behind', 'gauge', 'Targets whose mirror lacks refs or commits of the source (last drift check, or a push waiting in the queue), per remote.', perRemote(counts));
    const timed = [...behind.values()].filter((b) => b.since !== undefined).sort((a, b) => (key(a.labels.remote, a.labels.url, a.labels.project) < key(b.labels.remote, b.labels.url, b.labels.project) ? -1 : 1));
    w.metric('git_replication_target_behind_seconds', 'gauge', 'How long each target has been behind: since its oldest unreplicated update.',
      timed.map((b) => ({ labels: b.labels, value: Math.max(0, (now - b.since!) / 1000) })));

    const c = this.status?.result.counts;
    w.metric('git_replication_targets', 'gauge', 'Targets by health at the last drift check.', c ? HEALTHS.map((h) => ({ labels: { health: h }, value: c[h] })) : []);
    w.metric('git_replication_status_check_timestamp_seconds', 'gauge', 'When the last drift check ran (Unix time); absent before the first.', this.status ? [{ value: this.status.at / 1000 }] : []);
    w.metric('git_replication_status_check_duration_seconds', 'gauge', 'How long the last drift check took.', this.status ? [{ value: this.status.durationMs / 1000 }] : []);
    return w.text();
  }
}
