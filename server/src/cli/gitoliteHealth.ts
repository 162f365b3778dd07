// `status --gitolite HOME` and `explain --gitolite HOME REPO [REF]`: mirror health for a gitolite
// home (engine/gitolite/mirrorHealth.ts), printed like the Gerrit forms.
import { resolve } from 'node:path';
import type { Io } from './siteOption';
import { loadMirrorSite } from '../engine/gitolite/mirror';
import { explainGitolite, gitoliteStatus, type CopyStatus } from '../engine/gitolite/mirrorHealth';
import type { RuleStep } from '../engine/preview/explain';
import { ago, clip } from './status';

const MAX_REFS_SHOWN = 10;
const MARK: Record<RuleStep['outcome'], string> = { pass: '✓', stop: '✗', info: '·' };

/** The site, or undefined after printing its errors (exit 1), as `mirror` does. */
function openHome(home: string, io: Io) {
  const site = loadMirrorSite(resolve(home));
  if (site.errors.length) {
    for (const e of site.errors) io.err(e);
    io.err('error: the gitolite configuration has errors; nothing is mirrored');
    return undefined;
  }
  return site;
}

function copyLines(t: CopyStatus, now: number): string[] {
  const head = `${t.health.padEnd(19)} ${t.repo} → ${t.copy} (${t.type})`;
  if (t.health === 'in-sync' && !t.lastError) return [clip(head)];
  const lines = [clip(head)];
  if (t.error) for (const l of t.error.split('\n').slice(0, 3)) lines.push(clip(`  ${l}`));
  if (t.refs.length) {
    const age = t.oldestUnreplicated ? `, oldest update ${ago(t.oldestUnreplicated, now)}` : '';
    lines.push(clip(`  ${t.refs.length} ref(s) differ${age}`));
    for (const r of t.refs.slice(0, MAX_REFS_SHOWN)) lines.push(clip(`    ${r.kind.padEnd(12)} ${r.ref}`));
    if (t.refs.length > MAX_REFS_SHOWN) lines.push(`    … and ${t.refs.length - MAX_REFS_SHOWN} more (--json lists all)`);
  }
  if (t.type === 'nosync' && t.health !== 'in-sync') lines.push(clip(`  nosync: pushed by hand only (git-replication mirror push --include-nosync ${t.repo})`));
  if (t.lastError) {
    const first = t.lastError.message.split('\n').find((l) => /fatal/i.test(l)) ?? t.lastError.message.split('\n')[0];
    lines.push(clip(`  last error: ${t.lastError.at.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (gl-copy-${t.copy}.status)`), clip(`    ${first.trim()}`));
  }
  return lines;
}

export async function gitoliteStatusCommand(home: string, repos: string[], json: boolean, io: Io): Promise<number> {
  const site = openHome(home, io);
  if (!site) return 1;
  const now = Date.now();
  const result = await gitoliteStatus(site, repos, {}, now);
  const refusedExplicit = repos.length > 0 && result.refused.length > 0;
  if (json) io.out(JSON.stringify(result, null, 2));
  else {
    for (const n of site.notes) io.err(`warning: ${n}`);
    for (const r of result.refused) (refusedExplicit ? io.err : io.out)(clip(`${refusedExplicit ? 'error' : 'skipped'}: ${r.reason}`));
    for (const t of result.targets) io.out(copyLines(t, now).join('\n'));
    const c = result.counts;
    io.out(clip(`${result.targets.length} copy target(s): ${c['in-sync']} in sync, ${c.behind} behind, ${c.diverged} diverged, ${c['missing-repository']} missing, ${c.unreachable} unreachable`));
  }
  return result.targets.some((t) => t.health !== 'in-sync') || refusedExplicit ? 1 : 0;
}

export async function gitoliteExplainCommand(home: string, repo: string, ref: string | undefined, json: boolean, io: Io): Promise<number> {
  const site = openHome(home, io);
  if (!site) return 1;
  const r = await explainGitolite(site, repo, ref);
  if (json) io.out(JSON.stringify(r, null, 2));
  else {
    const verdict = r.copies.some((c) => c.replicated) ? 'mirrored' : 'not mirrored from this host';
    io.out(`${r.repo} on ${r.hostname ?? '(no HOSTNAME)'} (${r.mode}): ${verdict}`);
    if (!r.existsHere) io.out(`note: ${r.repo} is not a repository on this host`);
    for (const s of r.steps) io.out(`  ${MARK[s.outcome]} ${s.rule}: ${s.detail}`);
    for (const c of r.copies) {
      io.out(`  copy ${c.copy} (${c.type}): ${c.replicated ? 'mirrored' : 'not mirrored automatically'}`);
      for (const s of c.steps) io.out(`    ${MARK[s.outcome]} ${s.rule}: ${s.detail}`);
    }
  }
  return r.copies.some((c) => c.replicated) ? 0 : 1;
}
