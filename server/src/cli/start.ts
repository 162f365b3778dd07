// `git-replication start`, modelled on Gerrit's `replication start` ssh command.
import { parseArgs } from './args';
import { displayUrl } from '../engine/transport/invocation';
import { openEngine, type Io } from './openEngine';
import { StartReport } from '../engine/queue/startReport';
import { daemonRunning } from './daemon';
import { StoreWriteError } from '../engine/queue/taskStore';
import { confirmOnTerminal } from './confirm';
import { guardFlag, hitLines } from './deletionGuardReport';

export const START_USAGE = `usage: git-replication start [--site DIR] [--wait] [--now] [--yes] [--ref-deletion-guard G] [--remote NAME]... [--url PATTERN] (--all | PROJECT...)
  Schedules a full sync of the matching projects, as Gerrit's 'replication start'.
  PROJECT is a name, a prefix ending in '*' or a '^regex'; no PROJECT and no --all means all.
  --remote NAME   only this remote (repeatable)     --url PATTERN  only URLs containing PATTERN
  --now           skip replicationDelay              --wait         push here and print each ref's result
  Without --wait the tasks are written to the site's task store for 'git-replication daemon'.
  With --wait, a full sync of a 'mirror' remote that would delete more refs than the ref deletion
  guard G allows (default 10,50%: more than 10 refs or more than half of the mirror's refs;
  'off'; or $GIT_REPLICATION_REF_DELETION_GUARD) is listed first and asked about on a terminal;
  elsewhere it is not pushed unless --yes says to push it anyway.
  Projects and URLs refused as unsafe are named with the reason. A store that cannot be written
  (full, read-only) is reported with how many tasks were stored.
  Exit: 0 scheduled / replicated, 1 config errors, a refused project or URL, a store write error,
        a failed ref (with --wait) or --all with PROJECT, 2 usage error.`;

export async function startCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', wait: 'bool', now: 'bool', yes: 'bool', 'ref-deletion-guard': 'string', remote: 'list', url: 'string', all: 'bool', help: 'bool' });
  if (flags.help) {
    io.out(START_USAGE);
    return 0;
  }
  if (flags.all && positionals.length) {
    io.err('error: cannot combine --all and PROJECT');
    return 1;
  }
  const deletionGuard = guardFlag(flags['ref-deletion-guard']);
  const engine = openEngine(flags.site, io, { deletionGuard });
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
  // Mass deletions are shown first and asked about; without an answer they are not pushed.
  const held = new Set<string>();
  if (!flags.yes) {
    const hits = await engine.deletionGuardHits(sel);
    if (hits.length) {
      const [first, ...rest] = hitLines(hits, deletionGuard);
      io.err(`warning: ${first}`);
      for (const l of rest) io.err(l);
      const yes = await confirmOnTerminal(`Push and delete them? [y/N] `);
      if (!yes) {
        for (const h of hits) held.add(`${h.remote}\n${h.project}\n${h.url}`);
        io.err(
          yes === false
            ? `not pushed: ${hits.length} target(s) listed above`
            : `error: not pushed: ${hits.length} target(s) listed above; confirm on a terminal, or pass --yes to push them anyway`,
        );
      }
    }
  }
  const ops = await engine.startReplicationAsync(sel, { now: !!flags.now, listener: printer, skip: (t) => held.has(`${t.dest.name}\n${t.project}\n${displayUrl(t.url)}`) });
  const heldCode = held.size ? 1 : 0;
  if (ops.length === 0) {
    if (!refusedCode && !heldCode) io.out('Nothing to replicate');
    return refusedCode || heldCode;
  }
  printer.expect(ops.length);
  await printer.finished;
  await engine.stop();
  return printer.ok ? refusedCode || heldCode : 1;
}
