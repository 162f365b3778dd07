// The dry-run panel's HTML, generated without vscode calls so node:test can check the escaping
// and the CSP. The page loads one stylesheet and one script from media/ (nonce'd); the plan
// table is rendered here and re-sent as a fragment when the config changes.
import { randomBytes } from 'node:crypto';
import type { PlanRefChange, PlanResult, PlanTarget, RefChangeKind } from '../../../server/src/protocol';
import { displayUrl } from '../models/args';

export const KINDS: Array<{ kind: RefChangeKind; label: string; glyph: string }> = [
  { kind: 'create', label: 'Create', glyph: '+' },
  { kind: 'fast-forward', label: 'Update', glyph: '↑' },
  { kind: 'force', label: 'Force', glyph: '±' },
  { kind: 'delete', label: 'Delete', glyph: '−' },
  { kind: 'up-to-date', label: 'Up to date', glyph: '=' },
  { kind: 'rejected', label: 'Rejected', glyph: '!' },
];

export function nonce(): string {
  return randomBytes(18).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 24);
}

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function csp(cspSource: string, n: string): string {
  return `default-src 'none'; img-src ${cspSource}; font-src ${cspSource}; style-src ${cspSource} 'nonce-${n}'; script-src 'nonce-${n}';`;
}

const short = (id: string | null) => (id ? id.slice(0, 10) : '—');

export function counts(plan: PlanResult): Record<RefChangeKind, number> & { repositories: number } {
  const c = { create: 0, 'fast-forward': 0, force: 0, delete: 0, 'up-to-date': 0, rejected: 0, repositories: 0 };
  for (const t of plan.targets) {
    if (t.createRepository) c.repositories++;
    for (const ch of t.changes) c[ch.kind]++;
  }
  return c;
}

export function summaryText(plan: PlanResult): string {
  const gitolite = plan.siteKind === 'gitolite';
  if (plan.refused) return gitolite ? 'The gitolite configuration has errors: nothing would be mirrored.' : 'The configuration has errors: Gerrit would refuse to load it, so nothing would be replicated.';
  if (plan.targets.length === 0) return gitolite ? `Nothing to mirror: this host pushes no repository to a copy${plan.skipped?.length ? ` (${plan.skipped.length} skipped)` : ''}.` : 'Nothing to replicate: no remote matches any project.';
  const c = counts(plan);
  const projects = new Set(plan.targets.map((t) => t.project)).size;
  // Rejected refs also say in how many targets: a push there would fail, not just skip a ref.
  const rejectedIn = plan.targets.filter((t) => t.changes.some((ch) => ch.kind === 'rejected')).length;
  const parts = KINDS.filter((k) => c[k.kind] > 0).map((k) => `${c[k.kind]} ${k.label.toLowerCase()}${k.kind === 'rejected' ? ` (${rejectedIn} ${rejectedIn === 1 ? 'target' : 'targets'})` : ''}`);
  if (c.repositories) parts.unshift(`${c.repositories} ${c.repositories === 1 ? 'repository' : 'repositories'} to create`);
  const unreachable = plan.targets.filter((t) => t.unreachable).length;
  if (unreachable) parts.push(`${unreachable} ${unreachable === 1 ? 'target' : 'targets'} unreachable`);
  const skipped = plan.skipped?.length ? ` ${plan.skipped.length} skipped.` : '';
  const what = gitolite ? (projects === 1 ? 'repository' : 'repositories') : projects === 1 ? 'project' : 'projects';
  // Targets first, projects in brackets: "3 projects × 6 targets" read like 18 targets.
  const n = plan.targets.length;
  return `${n} ${n === 1 ? 'target' : 'targets'} (${projects} ${what}): ${parts.join(', ') || 'no ref changes'}.${skipped}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** What an update lands: its commit count and subjects (newest first), or that it is unknown. */
export function commitsHtml(c: PlanRefChange): string {
  if (c.commits === undefined) return '';
  if (c.commits === null) return '<div class="commits muted">commits: unknown (the mirror\'s old commit is not in the source repository)</div>';
  const { count, subjects, dropped } = c.commits;
  const head = `${plural(count, 'commit')}${dropped ? `, drops ${plural(dropped, 'commit')} of the mirror` : ''}`;
  if (subjects.length === 0) return `<div class="commits muted">${escapeHtml(head)}</div>`;
  const more = count > subjects.length ? `<li class="more muted">and ${plural(count - subjects.length, 'more commit')}</li>` : '';
  return `<details class="commits" open><summary>${escapeHtml(head)}</summary><ol>${subjects.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}${more}</ol></details>`;
}

function targetSection(t: PlanTarget, i: number): string {
  const url = displayUrl(t.url);
  const search = [t.project, t.remote, url, ...t.changes.map((c) => `${c.ref} ${c.remoteRef}`)].join(' ').toLowerCase();
  const kinds = [...new Set(t.changes.map((c) => c.kind))].join(' ');
  const badges = [
    `<span class="badge remote" title="remote">${escapeHtml(t.remote)}</span>`,
    t.createRepository ? '<span class="badge create-repo">repository will be created</span>' : '',
    t.unreachable ? '<span class="badge unreachable">unreachable</span>' : '',
    t.note ? `<span class="badge note" title="${escapeHtml(t.note)}">${escapeHtml(t.note.split(':')[0])}</span>` : '',
  ].join('');
  const rows = t.changes.map((c, j) => {
    const k = KINDS.find((x) => x.kind === c.kind) ?? { label: c.kind, glyph: '?' };
    const reason = c.reason ? `<div class="reason">${escapeHtml(c.reason)}</div>` : '';
    // A search for a commit subject finds the update that lands it.
    const rowSearch = [c.ref, c.remoteRef, ...(c.commits?.subjects ?? [])].join(' ').toLowerCase();
    return `<tr class="change" data-row="${j}" data-kind="${escapeHtml(c.kind)}" data-search="${escapeHtml(rowSearch)}">` +
      `<td class="kind k-${escapeHtml(c.kind)}"><span class="glyph" aria-hidden="true">${escapeHtml(k.glyph)}</span> ${escapeHtml(k.label)}</td>` +
      `<td class="ref">${escapeHtml(c.ref)}${reason}${commitsHtml(c)}</td><td class="ref">${escapeHtml(c.remoteRef)}</td>` +
      `<td class="id">${escapeHtml(short(c.oldId))}</td><td class="id">${escapeHtml(short(c.newId))}</td></tr>`;
  }).join('');
  const body = t.unreachable
    ? `<p class="error">${escapeHtml(t.unreachable)}</p>`
    : t.changes.length === 0
      ? '<p class="muted">No refs to push.</p>'
      : `<table><thead><tr><th scope="col">Change</th><th scope="col">Ref</th><th scope="col">Remote ref</th><th scope="col">Old</th><th scope="col">New</th></tr></thead><tbody>${rows}</tbody></table>`;
  // Collapsible: the summary keeps the target's name and what it holds (the script counts the
  // shown rows into .counts), so a collapsed target still says what "Replicate these" would push.
  return `<section class="target" id="t${i}" data-t="${i}" tabindex="-1" aria-labelledby="t${i}h" data-project="${escapeHtml(t.project)}" data-remote="${escapeHtml(t.remote)}" data-url="${escapeHtml(url)}" data-kinds="${escapeHtml(kinds)}" data-create-repo="${t.createRepository}" data-search="${escapeHtml(search)}">` +
    `<details class="target-body" open><summary><h2 id="t${i}h"><span class="project">${escapeHtml(t.project)}</span> <span class="arrow" aria-hidden="true">→</span> <span class="url">${escapeHtml(url)}</span> ${badges}<span class="counts muted"></span></h2></summary>${t.note ? `<p class="muted note">${escapeHtml(t.note)}</p>` : ''}${body}</details></section>`;
}

/** The part of the page that changes when the plan changes. */
export function planFragment(plan: PlanResult): string {
  const summary = `<p id="summary" role="status">${escapeHtml(summaryText(plan))}</p>`;
  if (plan.refused || plan.diagnostics.some((d) => d.severity === 'error')) {
    const items = plan.diagnostics.map((d) =>
      `<li class="diag ${escapeHtml(d.severity)}"><a href="#" class="open" data-file="${escapeHtml(d.file)}" data-line="${d.line}">${escapeHtml(`${d.file}:${d.line}:${d.column}`)}</a> ${escapeHtml(d.severity)}: ${escapeHtml(d.message)} <code>${escapeHtml(d.code)}</code></li>`).join('');
    return `${summary}<ul class="diagnostics">${items}</ul>`;
  }
  // gitolite: what this host does not push, and why (a copy here, mirrored elsewhere, HOSTNAME unset).
  const skipped = plan.skipped?.length
    ? `<section class="skipped" aria-labelledby="skippedh"><h2 id="skippedh">Skipped</h2><ul>${plan.skipped.map((x) => `<li><span class="project">${escapeHtml(x.project)}</span>: ${escapeHtml(x.reason)}</li>`).join('')}</ul></section>`
    : '';
  return summary + plan.targets.map(targetSection).join('') + '<p id="empty" class="muted" hidden>No targets match the filter.</p>' + skipped;
}

export interface PageOptions {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  plan?: PlanResult;
  /** Shown instead of a plan, e.g. while the engine is not available. */
  message?: string;
}

export function pageHtml(o: PageOptions): string {
  const filters = KINDS.map((k) =>
    `<button type="button" class="filter k-${k.kind}" data-kind="${k.kind}" aria-pressed="true" title="Show ${k.label.toLowerCase()} (toggle)"><span class="glyph" aria-hidden="true">${escapeHtml(k.glyph)}</span> ${escapeHtml(k.label)}</button>`).join('');
  const content = o.plan ? planFragment(o.plan) : `<p id="summary" role="status" class="muted">${escapeHtml(o.message ?? 'Computing the dry run…')}</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${escapeHtml(o.nonce)}">
<title>Dry-Run Replication</title>
</head>
<body>
<header class="toolbar" role="toolbar" aria-label="Dry run">
<input type="search" id="search" placeholder="Search projects, URLs, refs ( / )" aria-label="Search projects, URLs and refs">
<div class="filters" role="group" aria-label="Show changes of kind">${filters}</div>
<label class="only-changes"><input type="checkbox" id="onlyChanges"> Only targets with changes</label>
<label class="show-drift" title="Show each mirror's current state (one git ls-remote per target) next to the plan"><input type="checkbox" id="showDrift"> Show drift</label>
<button type="button" id="collapseAll" class="secondary" title="Collapse every target">Collapse all</button>
<button type="button" id="expandAll" class="secondary" title="Expand every target">Expand all</button>
<span class="spacer"></span>
<button type="button" id="refresh" class="secondary" title="Recompute the dry run">Refresh</button>
<button type="button" id="replicate" class="primary" title="Replicate the targets shown">Replicate these</button>
</header>
<main id="plan" aria-live="polite">${content}</main>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}
