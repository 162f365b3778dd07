// `git-replication daemon`: runs the queue for a site. It replays the task store at start
// (running → waiting, then everything waiting), picks up tasks that the hook and `start`
// write into waiting/, and replicates project deletions when a repository disappears.
import { existsSync, readFileSync, unlinkSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './siteOption';
import type { LogLevel } from '../engine/queue';

export const DAEMON_USAGE = `usage: git-replication daemon [--site DIR] [--poll MS]
  Runs the replication queue of a Gerrit site until SIGTERM/SIGINT. Tasks come from the
  site's task store (eventsDirectory/ref-updates), written by 'git-replication hook' and
  'git-replication start'; they are watched for and polled every MS milliseconds (default 1000).
  gerrit.replicateOnStartup schedules a full sync 30 s after start. On stop, each remote's
  drainQueueAttempts is honoured; unfinished tasks stay in the store for the next start.
  Exit: 0 stopped by a signal, 1 config errors or another daemon already runs, 2 usage error.`;

export function pidFile(eventsDir: string): string {
  return join(eventsDir, 'daemon.pid');
}

export function daemonRunning(eventsDir: string): boolean {
  try {
    const pid = Number(readFileSync(pidFile(eventsDir), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function daemonCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, { site: 'string', poll: 'string', help: 'bool' });
  if (flags.help) {
    io.out(DAEMON_USAGE);
    return 0;
  }
  const poll = flags.poll === undefined ? 1000 : Number(flags.poll);
  if (!Number.isFinite(poll) || poll < 10) throw new UsageError('--poll must be a number of milliseconds ≥ 10');
  const log = (level: LogLevel, message: string) => io.err(`[${new Date().toISOString()}] ${level.toUpperCase()} ${message}`);
  const engine = openEngine(flags.site, io, { log });
  if (!engine) return 1;
  const eventsDir = engine.site.eventsDir;
  if (daemonRunning(eventsDir)) {
    io.err(`error: a daemon already runs for this site (pid file ${pidFile(eventsDir)})`);
    return 1;
  }
  writeFileSync(pidFile(eventsDir), `${process.pid}\n`);

  const replayed = engine.replay();
  log('info', `replication daemon started for ${engine.site.dir}: ${engine.dests.length} remote(s), ${replayed} stored task(s) replayed`);
  if (engine.site.replicateOnStartup) setTimeout(() => engine.startReplication({}), 30_000 * engine.queue.timeScale);

  let projects = new Set(engine.projects());
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
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(engine.store!.waiting, () => {
      if (!pending) pending = setTimeout(pickUp, 20);
    });
  } catch {
    // no inotify: polling alone still works
  }
  const interval = setInterval(() => {
    pickUp();
    if (++ticks % 10 === 0 && engine.dests.some((d) => d.settings.replicateProjectDeletions)) {
      const now = new Set(engine.projects());
      for (const p of projects) if (!now.has(p)) engine.deleteProject(p).then((rs) => rs.forEach((r) => log(r.ok ? 'info' : 'error', `project deletion ${p} → ${r.url}: ${r.ok ? 'done' : r.error}`)));
      projects = now;
    }
  }, poll);

  return new Promise<number>((resolve) => {
    const stop = async (sig: string) => {
      log('info', `${sig}: stopping`);
      clearInterval(interval);
      watcher?.close();
      await engine.stop();
      try {
        if (existsSync(pidFile(eventsDir)) && readFileSync(pidFile(eventsDir), 'utf8').trim() === String(process.pid)) unlinkSync(pidFile(eventsDir));
      } catch {
        /* already gone */
      }
      resolve(0);
      // In-flight git pushes are not waited for; their tasks are recovered on the next start.
      setImmediate(() => process.exit(0));
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
