// `git-replication daemon`: runs the queue for a site. It replays the task store at start
// (running → waiting, then everything waiting), picks up tasks that the hook and `start`
// write into waiting/, and replicates project deletions when a repository is gone for good
// (deletions.ts: only on evidence, never from a failed, empty or suddenly shrunken scan).
import { existsSync, readFileSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './openEngine';
import type { LogLevel } from '../engine/queue/queue';
import { deletionPolicy, ProjectDeletions } from './daemonDeletions';
import { acquireInstanceLock, announceNode, instanceLockHeld } from '../engine/queue/instanceLock';
import { guardFlag } from './deletionGuardReport';
import { parseMetricsAddress, serveMetrics, type MetricsServer } from './metricsServer';
import { EngineMetrics } from '../engine/health/metrics';
import { siteStatus } from '../engine/health/status';
import { urlLocksUnavailable } from '../engine/queue/urlLock';

export const DAEMON_USAGE = `usage: git-replication daemon [--site DIR] [--poll MS] [--deletion-delay SECONDS|off] [--deletion-max-share PERCENT] [--ref-deletion-guard G]
                              [--metrics 127.0.0.1:PORT [--status-interval SECONDS|off]]
  Runs the replication queue of a Gerrit site until SIGTERM/SIGINT. Tasks come from the
  site's task store (eventsDirectory/ref-updates), written by 'git-replication hook' and
  'git-replication start'; they are watched for and polled every MS milliseconds (default 1000).
  gerrit.replicateOnStartup schedules a full sync 30 s after start. On stop, each remote's
  drainQueueAttempts is honoured; unfinished tasks stay in the store for the next start.
  With replicateProjectDeletions, basePath is scanned every 10 polls. A project missing from it
  on every scan for --deletion-delay seconds (default 600, at least 3 scans; 'off': never) is
  deleted on the mirrors, at most --deletion-max-share percent of the projects per scan (default
  10, at least one). A scan that cannot read basePath, finds it empty, or misses more projects at
  once than that share deletes nothing and is logged as an error. 'git-replication delete-project'
  deletes at once. A full sync that deletes more mirror refs than the ref deletion guard G allows
  (default 10,50%; see 'start --help') is pushed, as Gerrit would, and logged as an ERROR
  'mass deletion'; 'status' shows it on the target.
  --metrics serves the Prometheus text format at http://127.0.0.1:PORT/metrics (loopback only;
  port 0 picks a free one, logged at start): the queue by state, pushes, failures and mass
  deletions per remote, push durations, each target's last success, and the targets behind with
  their seconds behind, from a drift check (as 'status') every --status-interval seconds
  (default 300; 'off': the queue alone says what is behind).
  With replication.distributionInterval (cluster mode) several daemons share the task store, each
  with its own threads: every interval a node takes back the tasks of stopped nodes, schedules
  the tasks others stored and drops pending pushes another node already took; a push holds an
  flock on its URL (eventsDirectory/url-locks), so no two nodes push one URL at once.
  Exit: 0 stopped by a signal, 1 config errors or another daemon already runs, 2 usage error.`;

export function pidFile(eventsDir: string): string {
  return join(eventsDir, 'daemon.pid');
}

/** Is a daemon running for this store? Its lock (a listening socket) says; a pid file could lie. */
export function daemonRunning(eventsDir: string): boolean {
  return instanceLockHeld(eventsDir);
}

export async function daemonCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, { site: 'string', poll: 'string', 'deletion-delay': 'string', 'deletion-max-share': 'string', 'ref-deletion-guard': 'string', metrics: 'string', 'status-interval': 'string', help: 'bool' });
  if (flags.help) {
    io.out(DAEMON_USAGE);
    return 0;
  }
  const poll = flags.poll === undefined ? 1000 : Number(flags.poll);
  if (!Number.isFinite(poll) || poll < 10) throw new UsageError('--poll must be a number of milliseconds ≥ 10');
  const policy = deletionPolicy(flags['deletion-delay'], flags['deletion-max-share']);
  const metricsAt = typeof flags.metrics === 'string' ? parseMetricsAddress(flags.metrics) : undefined;
  const statusEvery = statusInterval(flags['status-interval'], !!metricsAt);
  const log = (level: LogLevel, message: string) => io.err(`[${new Date().toISOString()}] ${level.toUpperCase()} ${message}`);
  let metrics: EngineMetrics | undefined;
  const engine = openEngine(flags.site, io, { log, deletionGuard: guardFlag(flags['ref-deletion-guard']), onAttempt: (t, a) => metrics?.observe(t, a) });
  if (!engine) return 1;
  const eventsDir = engine.site.eventsDir;
  const info = `pid ${process.pid} on ${hostname()}, started ${new Date().toISOString()}`;
  const cluster = engine.clusterLocks !== null;
  // A node in cluster mode holds no store-wide lock; a single daemon releases its own on a failed start.
  let releaseLock = () => {};
  if (cluster) {
    // Several nodes share the store: no store-wide lock, but every push holds its URL's flock.
    const why = await urlLocksUnavailable(eventsDir);
    if (why) {
      io.err(`error: cluster mode (replication.distributionInterval) needs URL locks, and ${why}`);
      return 1;
    }
    await announceNode(eventsDir, info);
  } else {
    const lock = await acquireInstanceLock(eventsDir, info);
    if (!lock.ok) {
      io.err(`error: a daemon already runs for the task store ${eventsDir}: ${lock.holder}`);
      return 1;
    }
    releaseLock = () => lock.release();
  }

  // Signals are handled before the store is replayed, so a stop is never ignored.
  let interval: NodeJS.Timeout | undefined;
  let statusTimer: NodeJS.Timeout | undefined;
  let server: MetricsServer | undefined;
  let watcher: FSWatcher | undefined;
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${sig}: stopping`);
    if (interval) clearInterval(interval);
    if (statusTimer) clearTimeout(statusTimer);
    watcher?.close();
    await server?.close();
    await engine.stop();
    try {
      if (existsSync(pidFile(eventsDir)) && readFileSync(pidFile(eventsDir), 'utf8').trim() === String(process.pid)) unlinkSync(pidFile(eventsDir));
    } catch {
      /* already gone */
    }
    resolveDone(0);
    // In-flight git pushes are not waited for; their tasks are recovered on the next start.
    setImmediate(() => process.exit(0));
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  if (!cluster) {
    // Informational only: the lock above decides, the kernel releases it when this process dies.
    // Written once the handlers are in, so whoever sees the pid file can stop the daemon cleanly.
    try {
      writeFileSync(pidFile(eventsDir), `${process.pid}\n`);
    } catch (e) {
      log('warning', `cannot write ${pidFile(eventsDir)}: ${(e as Error).message}`);
    }
  }

  if (metricsAt) {
    const m = (metrics = new EngineMetrics(engine));
    try {
      server = await serveMetrics(metricsAt, () => m.render(), (e) => log('error', `metrics: ${e.message}`));
    } catch (e) {
      io.err(`error: cannot serve the metrics on ${metricsAt.host}:${metricsAt.port}: ${(e as Error).message}`);
      releaseLock();
      try {
        unlinkSync(pidFile(eventsDir));
      } catch {
        /* already gone */
      }
      return 1;
    }
    log('info', `metrics on http://${metricsAt.host}:${server.port}/metrics`);
    if (statusEvery !== undefined) {
      // The drift check (status) in the background, one at a time, then every interval.
      const check = async () => {
        const t0 = Date.now();
        try {
          m.setStatus(await siteStatus(engine, {}), Date.now() - t0);
        } catch (e) {
          log('error', `drift check: ${(e as Error).message}`);
        }
        if (!stopping) statusTimer = setTimeout(() => void check(), statusEvery * 1000);
      };
      statusTimer = setTimeout(() => void check(), 0);
    }
  }

  await engine.endOrphanedPushes();
  if (stopping) return done;
  if (cluster) await engine.recoverStopped();
  const replayed = engine.replay();
  log('info', `replication daemon started for ${engine.site.dir}: ${engine.dests.length} remote(s), ${replayed} stored task(s) replayed${cluster ? `; cluster node (distributionInterval = ${engine.site.distributionInterval} s)` : ''}`);
  if (stopping) return done;
  if (engine.site.replicateOnStartup) setTimeout(() => engine.startReplication({}), 30_000 * engine.queue.timeScale);

  // Inferred deletions need one observer of basePath: in a cluster only delete-project deletes.
  const wantsDeletions = engine.dests.some((d) => d.settings.replicateProjectDeletions);
  if (wantsDeletions && cluster) log('info', 'cluster node: project deletions are not inferred from basePath scans; use git-replication delete-project');
  const deletions = wantsDeletions && !cluster ? new ProjectDeletions(engine, policy, log) : undefined;
  const first = engine.scan();
  log('info', `project scan: ${first.projects.length + first.refused.length} project(s) under basePath ${engine.site.basePath}`);
  deletions?.observe(first);
  let ticks = 0;
  let pending: NodeJS.Timeout | undefined;
  const pickUp = () => {
    pending = undefined;
    try {
      engine.pickUp();
    } catch (e) {
      log('error', `cannot read the task store: ${(e as Error).message}`);
    }
  };
  try {
    watcher = watch(engine.store!.waiting, () => {
      if (!pending) pending = setTimeout(pickUp, 20);
    });
  } catch {
    // no inotify: polling alone still works
  }
  interval = setInterval(() => {
    pickUp();
    if (++ticks % 10 === 0) deletions?.observe(engine.scan());
  }, poll);
  if (cluster) {
    let distributing = false;
    setInterval(() => {
      if (distributing || stopping) return;
      distributing = true;
      engine
        .distribute()
        .catch((e) => log('error', `error distributing tasks: ${(e as Error).message}`))
        .finally(() => (distributing = false));
    }, Math.max(10, engine.site.distributionInterval * 1000 * engine.queue.timeScale));
  }
  return done;
}

/** --status-interval: seconds between drift checks (default 300 with --metrics), or undefined for off. */
function statusInterval(v: unknown, metrics: boolean): number | undefined {
  if (v === undefined) return metrics ? 300 : undefined;
  if (!metrics) throw new UsageError('--status-interval goes with --metrics');
  if (v === 'off') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.05) throw new UsageError("--status-interval takes SECONDS (at least 0.05) or 'off'");
  return n;
}
