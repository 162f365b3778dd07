// `git-replication plan`: the exact dry run, per project × remote × URL.
import { resolve } from 'node:path';
import { parseArgs, UsageError } from './args';
import { openEngine, type Io } from './openEngine';
import { siteDir } from './siteOption';
import type { PlanTarget } from '../protocol';
import { daemonRunning } from './daemon';
import { loadSite, SiteError } from '../engine/site/loadSite';
import { previewReload, reloadLoses } from '../engine/preview/reloadPreview';
import { formatReloadPreview } from './reloadPreview';
import { guardFlag, hitLines } from './deletionGuardReport';
import { guardHits } from '../engine/preview/deletionGuard';

export const PLAN_USAGE = `usage: git-replication plan [--site DIR] [--json] [--ref-deletion-guard G] [--remote NAME]... [--url PATTERN] [--all | PROJECT...]
       git-replication plan [--site DIR] [--json] --against OLD_DIR
  Shows what a full sync would do to each ref of each mirror without pushing: created,
  fast-forwarded, force-updated, deleted (mirror), rejected (non-fast-forward without '+') and
  up to date, with old and new ids (an update with its commit count and up to 10 subjects);
  repositories that would be created; unreachable URLs; and the
  project deletions the running daemon has pending (replicateProjectDeletions), with their dates.
  PROJECT is a name, a prefix ending in '*' or a '^regex'; no PROJECT or --all means all, as
  for 'start'. Deletions are listed first, and targets that would delete more refs than the ref
  deletion guard G allows (default 10,50%; see 'start --help') are named before everything else.
  --json prints the PlanResult, with deletionGuardHits.
  Projects and URLs refused as unsafe are named on stderr with the reason.
  With --against OLD_DIR (the site as deployed, or any older copy of it), a reload preview
  instead, read from the files alone: the remotes, URLs, settings, projects and refs that a
  reload of the site's config would add, remove or change, and the stored tasks it would drop
  (a reload cancels pending pushes and replays the task store under the new config).
  Exit: 0 everything can be pushed, 1 config errors, refused projects or URLs, unreachable URLs,
        rejected refs, or --all with PROJECT, 2 usage error. With --against: 0 nothing is lost,
        1 the edited config has errors (a reload would fail) or stored tasks would be dropped.`;

const short = (id: string | null) => (id ? id.slice(0, 10) : '(none)');

export function formatTarget(t: PlanTarget): string[] {
  const head = `${t.project} → ${t.remote}  ${t.url}`;
  if (t.unreachable) return [`${head}`, `  unreachable: ${t.unreachable}`];
  const lines = [t.createRepository ? `${head}  (repository would be created)` : head];
  // Deletions first: they are what cannot be undone from the source.
  const ordered = [...t.changes.filter((c) => c.kind === 'delete'), ...t.changes.filter((c) => c.kind !== 'delete')];
  for (const c of ordered) {
    const ids = c.kind === 'create' ? `→ ${short(c.newId)}` : c.kind === 'delete' ? `${short(c.oldId)} →` : c.kind === 'up-to-date' ? short(c.newId) : `${short(c.oldId)} → ${short(c.newId)}`;
    const name = c.ref === c.remoteRef ? c.ref : `${c.ref} → ${c.remoteRef}`;
    const landed = c.commits === null ? '  (commits unknown)' : c.commits ? `  (${c.commits.count} commit${c.commits.count === 1 ? '' : 's'}${c.commits.dropped ? `, drops ${c.commits.dropped}` : ''})` : '';
    lines.push(`  ${c.kind.padEnd(12)} ${name}  ${ids}${c.reason ? `  (${c.reason})` : ''}${landed}`);
    // What an update lands, newest first, as `git log --oneline` would list it.
    for (const s of c.commits?.subjects ?? []) lines.push(`               | ${s}`);
    if (c.commits && c.commits.count > c.commits.subjects.length) lines.push(`               | … ${c.commits.count - c.commits.subjects.length} more`);
  }
  return lines;
}

export async function planCommand(argv: string[], io: Io): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { site: 'string', json: 'bool', remote: 'list', url: 'string', all: 'bool', against: 'string', 'ref-deletion-guard': 'string', help: 'bool' });
  if (flags.help) {
    io.out(PLAN_USAGE);
    return 0;
  }
  if (flags.against !== undefined) {
    if (positionals.length || flags.all || flags.remote || flags.url) throw new UsageError('--against compares whole configs: it takes no PROJECT, --all, --remote or --url');
    return reloadCommand(flags.site, flags.against as string, !!flags.json, io);
  }
  if (flags.all && positionals.length) {
    io.err('error: cannot combine --all and PROJECT');
    return 1;
  }
  const deletionGuard = guardFlag(flags['ref-deletion-guard']);
  const engine = openEngine(flags.site, io, { persist: false, deletionGuard });
  if (!engine) return 1;
  const sel = { projects: positionals, remotes: (flags.remote as string[] | undefined) ?? [], urlPattern: flags.url as string | undefined };
  // Refused projects and URLs are named with the reason, and make the exit code 1.
  const refusals = engine.refusals(sel);
  for (const r of refusals) io.err(`error: ${r}`);
  // Progress on a terminal: each target costs one ls-remote.
  const tty = !!process.stderr.isTTY;
  const result = await engine.plan(
    sel,
    tty ? (done, total) => process.stderr.write(done < total ? `\r\x1b[K[${done}/${total}] mirrors checked` : '\r\x1b[K') : undefined,
  );
  // Project deletions the running daemon's scans have pending (replicateProjectDeletions).
  const pending = daemonRunning(engine.site.eventsDir) ? await engine.pendingDeletions() : { deletions: [] as Array<never>, refused: undefined };
  const hits = guardHits(result.targets, deletionGuard);
  if (flags.json) io.out(JSON.stringify({ ...result, projectDeletions: pending, deletionGuardHits: hits }, null, 2));
  else {
    if (hits.length) io.out(hitLines(hits, deletionGuard).map((l, i) => (i ? l : `warning: ${l}`)).join('\n'));
    if (result.targets.length === 0) {
      if (!refusals.length && !pending.deletions.length) io.out('Nothing to replicate');
    } else for (const t of result.targets) io.out(formatTarget(t).join('\n'));
    if (pending.deletions.length || pending.refused) io.out('project deletions pending in the daemon:');
    for (const d of pending.deletions)
      io.out(`  would delete ${d.project} on ${d.remote}: ${d.url}  (missing from basePath since ${d.since}; ${d.due ? `deleted from ${d.due} if still missing` : 'inferred deletions are off: delete-project deletes it'})`);
    if (pending.refused) io.out(`  none is deleted while the last scan is refused: ${pending.refused}`);
  }
  const bad = result.targets.some((t) => t.unreachable || t.changes.some((c) => c.kind === 'rejected'));
  return bad || refusals.length ? 1 : 0;
}

async function reloadCommand(siteFlag: unknown, against: string, json: boolean, io: Io): Promise<number> {
  let sites;
  try {
    sites = { next: loadSite(siteDir(siteFlag)), old: loadSite(resolve(against)) };
  } catch (e) {
    if (e instanceof SiteError) throw new UsageError(e.message);
    throw e;
  }
  const preview = await previewReload(sites.old, sites.next, resolve(against));
  if (json) io.out(JSON.stringify(preview, null, 2));
  else io.out(formatReloadPreview(preview).join('\n'));
  return reloadLoses(preview) ? 1 : 0;
}
