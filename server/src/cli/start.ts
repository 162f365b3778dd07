// `git-replication start`, modelled on Gerrit's `replication start` ssh command.
import { parseArgs } from './args';
import { openEngine, type Io } from './openEngine';
import { StartReport } from '../engine/queue/startReport';
import { daemonRunning } from './daemon';
import { StoreWriteError } from '../engine/queue/taskStore';

export const START_USAGE = `usage: git-replication start [--site DIR] [--wait] [--now] [--remote NAME]... [--url PATTERN] (--all | PROJECT...)
  Schedules a full sync of the matching projects, as Gerrit's 'replication start'.
  PROJECT is a name, a prefix ending in '*' or a '^regex'; no PROJECT and no --all means all.
  --remote NAME   only this remote (repeatable)     --url PATTERN  only URLs containing PATTERN
  --now           skip replicationDelay              --wait         push here and print each ref's result
  Without --wait the tasks are written to the site's task store for 'git-replication daemon'.
  Projects and URLs refused as unsafe are named with the reason. A store that cannot be written
  (full, read-only) is reported with how many tasks were stored.
  Exit: 0 scheduled / replicated, 1 config errors, a refused project or URL, a store write error,
        a failed ref (with --wait) or --all with PROJECT, 2 usage error.`;

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', wait: 'bool', now: 'bool', remote: 'list', url: 'string', all: 'bool', help: 'bool' });
  if (flags.help) {
    io.out(START_USAGE);
    return 0;
  }
  if (flags.all && positionals.length) {
    io.err('error: cannot combine --all and PROJECT');
    return 1;
  }
  const engine = openEngine(flags.site, io);
  if (!engine) return 1;
  const sel = { projects: positionals, remotes: (flags.remote as string[] | undefined) ?? [], urlPattern: flags.url as string | undefined };
  if (sel.remotes.length) {
    const unknown = sel.remotes.filter((r) => !engine.destination(r));
    if (unknown.length) io.err(`warning: no remote named ${unknown.join(', ')}`);
  }
  // Refused projects and URLs are named with the reason, and make the exit code 1.
  const refusals = engine.refusals(sel);
  for (const r of refusals) io.err(`error: ${r}`);
  const refusedCode = refusals.length ? 1 : 0;
  if (!flags.wait) {
    let n: number;
    try {
      n = engine.storeTasks(sel, ['..all..']);
    } catch (e) {
      if (!(e instanceof StoreWriteError)) throw e;
      io.err(`error: stored ${e.stored} of ${e.total} replication task(s) in ${engine.store!.waiting}: ${e.message}`);
      if (e.stored) io.err('note: the stored tasks run when the daemon picks them up; run this command again once the store is writable');
      return 1;
    }
    if (n === 0) {
      if (!refusedCode) io.out('Nothing to replicate');
      return refusedCode;
    }
    io.out(`Stored ${n} replication task(s) in ${engine.store!.waiting}`);
    if (!daemonRunning(engine.site.eventsDir)) io.err("note: no daemon is running for this site; the tasks run when 'git-replication daemon' starts");
    else if (flags.now) io.err('note: the daemon runs stored tasks after replicationDelay; use --wait to push now');
    return refusedCode;
  }
  // Progress on a terminal: a counter on stderr, erased before each result line.
  const tty = !!process.stderr.isTTY;
  const printer = new StartReport(
    (line) => {
      if (tty) process.stderr.write('\r\x1b[K');
      io.out(line);
    },
    (done, total) => {
      if (tty && total > 0 && done < total) process.stderr.write(`[${done}/${total}] pushes done`);
    },
  );
  const ops = await engine.startReplicationAsync(sel, { now: !!flags.now, listener: printer });
  if (ops.length === 0) {
    if (!refusedCode) io.out('Nothing to replicate');
    return refusedCode;
  }
  printer.expect(ops.length);
  await printer.finished;
  await engine.stop();
  return printer.ok ? refusedCode : 1;
}
