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
import { acquireInstanceLock, instanceLockHeld } from '../engine/queue/instanceLock';

export const DAEMON_USAGE = `usage: git-replication daemon [--site DIR] [--poll MS] [--deletion-delay SECONDS|off] [--deletion-max-share PERCENT]
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
  deletes at once.
  Exit: 0 stopped by a signal, 1 config errors or another daemon already runs, 2 usage error.`;

export function pidFile(eventsDir: string): string {
  return join(eventsDir, 'daemon.pid');
}

/** Is a daemon running for this store? Its lock (a listening socket) says; a pid file could lie. */
export function daemonRunning(eventsDir: string): boolean {
  return instanceLockHeld(eventsDir);
}

export async function daemonCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, { site: 'string', poll: 'string', 'deletion-delay': 'string', 'deletion-max-share': 'string', help: 'bool' });
  if (flags.help) {
    io.out(DAEMON_USAGE);
    return 0;
  }
  const poll = flags.poll === undefined ? 1000 : Number(flags.poll);
  if (!Number.isFinite(poll) || poll < 10) throw new UsageError('--poll must be a number of milliseconds ≥ 10');
  const policy = deletionPolicy(flags['deletion-delay'], flags['deletion-max-share']);
  const log = (level: LogLevel, message: string) => io.err(`[${new Date().toISOString()}] ${level.toUpperCase()} ${message}`);
  const engine = openEngine(flags.site, io, { log });
  if (!engine) return 1;
  const eventsDir = engine.site.eventsDir;
  const lock = await acquireInstanceLock(eventsDir, `pid ${process.pid} on ${hostname()}, started ${new Date().toISOString()}`);
  if (!lock.ok) {
    io.err(`error: a daemon already runs for the task store ${eventsDir}: ${lock.holder}`);
    return 1;
  }
  // Informational only: the lock above decides, the kernel releases it when this process dies.
  try {
    writeFileSync(pidFile(eventsDir), `${process.pid}\n`);
  } catch (e) {
    log('warning', `cannot write ${pidFile(eventsDir)}: ${(e as Error).message}`);
  }

  // Signals are handled before the store is replayed, so a stop is never ignored.
  let interval: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let stopping = false;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
  const stop = async (sig: string) => {
    if (stopping) return;
    stopping = true;
    log('info', `${sig}: stopping`);
    if (interval) clearInterval(interval);
    watcher?.close();
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

  await engine.endOrphanedPushes();
  if (stopping) return done;
  const replayed = engine.replay();
  log('info', `replication daemon started for ${engine.site.dir}: ${engine.dests.length} remote(s), ${replayed} stored task(s) replayed`);
  if (stopping) return done;
  if (engine.site.replicateOnStartup) setTimeout(() => engine.startReplication({}), 30_000 * engine.queue.timeScale);

  const deletions = engine.dests.some((d) => d.settings.replicateProjectDeletions) ? new ProjectDeletions(engine, policy, log) : undefined;
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
  return done;
}
