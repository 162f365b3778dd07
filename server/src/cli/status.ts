// `git-replication status`: per target in sync, behind, diverged, missing or unreachable, with
// the last success and the last error; exit codes fit for monitoring.
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './openEngine';
import { siteStatus, type TargetStatus } from '../engine/health/status';
import { guardFlag } from './deletionGuardReport';
import { gitoliteStatusCommand } from './gitoliteHealth';

export const STATUS_USAGE = `usage: git-replication status [--site DIR] [--json] [--ref-deletion-guard G] [--remote NAME]... [--url PATTERN] [PROJECT...]
       git-replication status --gitolite HOME [--json] [REPO...]
  The health of each project × remote × URL, read with one ref listing per mirror (threads of
  each remote at a time), compared with what a full sync would push (the same dry run as 'plan'):
    in-sync             the mirror holds every ref the config replicates
    behind              refs to create or fast-forward, and the age of the oldest of them
    diverged            the mirror has refs or commits the source lacks (force, rejected, delete)
    missing-repository  the mirror repository does not exist
    unreachable         the URL cannot be read
  with the last attempt, last success and last error of each target (written by every push), a
  target whose last push deleted more refs than the ref deletion guard G allows (MASS DELETION,
  pushed by the daemon without asking) and one whose next full sync would.
  PROJECT is a name, a prefix ending in '*' or a '^regex'. --json prints the StatusResult.
  With --gitolite HOME (a gitolite home with HOSTNAME in its .gitolite.rc): the health of each
  copy of each repository this host is master of, read with a dry-run 'git push --mirror' to the
  copy (as gitolite pushes), with gitolite's last error from <repo>.git/gl-copy-<copy>.status.
  REPO names limit it. --json prints the GitoliteStatusResult.
  Exit: 0 every target in sync, 1 any target not in sync or a config error, 2 usage error.`;

const WIDTH = 80;
const MAX_REFS_SHOWN = 10;

export function clip(s: string): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length <= WIDTH ? flat : flat.slice(0, WIDTH - 1) + '…';
}

export function ago(fromIso: string, now: number): string {
  let s = Math.max(0, Math.round((now - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s}s ago`;
  const parts: string[] = [];
  for (const [unit, n] of [['d', 86400], ['h', 3600], ['m', 60]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
    if (parts.length === 2) break;
  }
  return `${parts.join(' ')} ago`;
}

const shortTime = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

export function formatStatus(t: TargetStatus, now: number): string[] {
  const lines = [clip(`${t.health.padEnd(19)} ${t.project} → ${t.remote}`), clip(`  ${t.url}`)];
  if (t.error) lines.push(clip(`  ${t.error}`));
  if (t.refs.length) {
    const age = t.oldestUnreplicated ? `, oldest update ${ago(t.oldestUnreplicated, now)}` : '';
    lines.push(clip(`  ${t.refs.length} ref(s) differ${age}`));
    for (const r of t.refs.slice(0, MAX_REFS_SHOWN)) lines.push(clip(`    ${r.kind.padEnd(12)} ${r.ref}${r.reason ? ` (${r.reason})` : ''}`));
    if (t.refs.length > MAX_REFS_SHOWN) lines.push(`    … and ${t.refs.length - MAX_REFS_SHOWN} more (--json lists all)`);
  }
  const mass = t.lastAttempt?.massDeletion;
  const massLine = mass ? clip(`  MASS DELETION: the last push (${shortTime(t.lastAttempt!.at)}) deleted ${mass.deleted} of ${mass.mirrorRefs} refs`) : undefined;
  if (t.health === 'in-sync') return [clip(`${'in-sync'.padEnd(19)} ${t.project} → ${t.remote}  ${t.url}`), ...(massLine ? [massLine] : [])];
  if (t.overDeletionGuard) lines.push(clip(`  over the ref deletion guard: a full sync deletes ${t.overDeletionGuard.deletes} of ${t.overDeletionGuard.mirrorRefs} refs`));
  if (massLine) lines.push(massLine);
  lines.push(clip(`  last success: ${t.lastSuccess ? `${shortTime(t.lastSuccess)} (${ago(t.lastSuccess, now)})` : 'never recorded'}`));
  if (t.lastError) lines.push(clip(`  last error: ${shortTime(t.lastError.at)}: ${t.lastError.message}`));
  return lines;
}

export async function statusCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', json: 'bool', remote: 'list', url: 'string', 'ref-deletion-guard': 'string', gitolite: 'string', help: 'bool' });
  if (flags.help) {
    io.out(STATUS_USAGE);
    return 0;
  }
  if (typeof flags.gitolite === 'string') {
    if (flags.site || flags.remote || flags.url || flags['ref-deletion-guard']) throw new UsageError('--gitolite HOME takes REPO names, not --site, --remote, --url or --ref-deletion-guard');
    return gitoliteStatusCommand(flags.gitolite, positionals, !!flags.json, io);
  }
  const engine = openEngine(flags.site, io, { persist: false, deletionGuard: guardFlag(flags['ref-deletion-guard']) });
  if (!engine) return 1;
  const sel = { projects: positionals, remotes: (flags.remote as string[] | undefined) ?? [], urlPattern: flags.url as string | undefined };
  // A mistyped remote would otherwise report zero targets, all fine, to a monitor.
  for (const r of sel.remotes) if (!engine.destination(r)) throw new UsageError(`no remote named ${JSON.stringify(r)} in the config`);
  const refusals = engine.refusals(sel);
  for (const r of refusals) io.err(`error: ${r}`);
  const now = Date.now();
  const result = await siteStatus(engine, sel, now);
  if (flags.json) io.out(JSON.stringify(result, null, 2));
  else {
    for (const t of result.targets) io.out(formatStatus(t, now).join('\n'));
    const c = result.counts;
    io.out(clip(`${result.targets.length} target(s): ${c['in-sync']} in sync, ${c.behind} behind, ${c.diverged} diverged, ${c['missing-repository']} missing, ${c.unreachable} unreachable`));
  }
  const bad = result.targets.some((t) => t.health !== 'in-sync');
  return bad || refusals.length ? 1 : 0;
}
