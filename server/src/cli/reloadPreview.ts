// `git-replication plan --against OLD_DIR`: the reload preview, printed. The comparison itself is
// engine/preview/reloadPreview.ts (the editor asks the same through the language server).
import type { ReloadPreview, RemoteReloadDiff } from '../protocol';

const MAX_LISTED = 10;

/** How the full list is reached: the CLI's --json; the editor passes its own hint. */
const JSON_HINT = ' (--json lists all)';

function list(items: string[], hint: string): string {
  const head = items.slice(0, MAX_LISTED).join(', ');
  return items.length > MAX_LISTED ? `${head}, … and ${items.length - MAX_LISTED} more${hint}` : head;
}

function remoteLines(r: RemoteReloadDiff, hint: string): string[] {
  const lines = [`remote ${r.change}: ${r.remote} (${r.at}${r.change === 'removed' ? ' of the deployed config' : ''})`];
  for (const s of r.settings) lines.push(`  ${s.key}: ${s.old} → ${s.new}`);
  for (const u of r.urlsAdded) lines.push(`  url added: ${u}`);
  for (const u of r.urlsRemoved) lines.push(`  url removed: ${u}`);
  if (r.projectsAdded.length) lines.push(`  starts replicating ${r.projectsAdded.length} project(s): ${list(r.projectsAdded, hint)}`);
  if (r.projectsRemoved.length) lines.push(`  stops replicating ${r.projectsRemoved.length} project(s): ${list(r.projectsRemoved, hint)}`);
  for (const t of r.targetsAdded.slice(0, MAX_LISTED)) lines.push(`  target added: ${t.project} → ${t.url}`);
  for (const t of r.targetsRemoved.slice(0, MAX_LISTED)) lines.push(`  target removed: ${t.project} → ${t.url}`);
  const moreTargets = Math.max(0, r.targetsAdded.length - MAX_LISTED) + Math.max(0, r.targetsRemoved.length - MAX_LISTED);
  if (moreTargets) lines.push(`  … and ${moreTargets} more target change(s)${hint}`);
  const word = { added: 'newly replicated', removed: 'no longer replicated', remapped: 'remapped' } as const;
  for (const c of r.refs.slice(0, MAX_LISTED)) lines.push(`  ref ${word[c.change]}: ${c.project} ${c.ref}${c.detail ? ` (${c.detail})` : ''}`);
  if (r.refs.length > MAX_LISTED) lines.push(`  … and ${r.refs.length - MAX_LISTED} more ref change(s)${hint}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines;
}

export function formatReloadPreview(p: ReloadPreview, hint = JSON_HINT): string[] {
  const lines = [`Reload preview: ${p.site} against ${p.against}`];
  if (p.newRefused) {
    lines.push(`the edited config has ${p.diagnostics.length} error(s): a reload fails and the server keeps the deployed config`);
    for (const d of p.diagnostics) lines.push(`  ${d.file}:${d.line}:${d.column}: error: ${d.message} [${d.code}]`);
  } else if (p.oldRefused) lines.push('the deployed config has errors, so nothing replicates now: everything below is new');
  if (p.siteSettings.length) {
    lines.push('site settings:');
    for (const s of p.siteSettings) lines.push(`  ${s.key}: ${s.old} → ${s.new}`);
  }
  for (const r of p.remotes) lines.push(...remoteLines(r, hint));
  if (p.tasks.length || p.badTaskFiles) {
    const running = p.tasks.filter((t) => t.state === 'running').length;
    lines.push(`stored tasks: ${p.tasks.length} (${running} running, ${p.tasks.length - running} waiting); a reload cancels pending pushes and replays these`);
    for (const t of p.tasks) {
      if (t.verdict === 'kept') continue;
      const what = `${t.project} → ${t.remote} ${t.url} [${t.refs.join(' ')}]`;
      if (t.verdict === 'narrowed') lines.push(`  narrowed ${what}: ${t.reason}: ${t.droppedRefs!.join(' ')}`);
      else lines.push(`  ${t.verdict.padEnd(8)} ${what}: ${t.reason}`);
    }
    const kept = p.tasks.filter((t) => t.verdict === 'kept').length;
    if (kept) lines.push(`  ${kept} kept: replayed under the new config (replicationDelay starts over)`);
    if (p.badTaskFiles) lines.push(`  ${p.badTaskFiles} file(s) in the store are not tasks (quarantined either way)`);
  }
  if (p.unchanged) lines.push('No change: after a reload the server replicates exactly as now.');
  return lines;
}
