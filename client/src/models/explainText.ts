// The engine's explain answer (why a project and a ref are or are not replicated, rule by rule)
// as text for people: markdown for the tree hover and the "Why is this not replicated?"
// document, plain lines for the log. Pure; URLs are shown without user info.
import type { ExplainRemote, ExplainResult, RuleStep } from '../../../server/src/protocol';
import { displayUrl } from './args';
import { scrub } from './healthModel';

const MARK: Record<RuleStep['outcome'], string> = { pass: '✓', stop: '✗', info: '·' };

/** The one-line answer for a remote: replicated or not, and the rule that decided. */
export function verdict(r: ExplainRemote, ref?: string): string {
  const stop = [...r.steps, ...r.urls.flatMap((u) => u.steps)].find((s) => s.outcome === 'stop');
  const why = stop ? ` — ${stop.rule}: ${scrub(stop.detail)}` : '';
  if (!r.projectReplicated) return `not replicated${why}`;
  if (ref !== undefined && !r.refReplicated) return `${ref} is not replicated${why}`;
  const urls = r.urls.filter((u) => u.replicated).length;
  const to = ref !== undefined && r.remoteRef ? ` as ${r.remoteRef}` : '';
  if (urls === 0) return `not replicated to any URL${why}`;
  return `replicated${to} to ${urls} of ${r.urls.length} URL${r.urls.length === 1 ? '' : 's'}`;
}

/** Markdown-escaped text (the details quote patterns such as `^refs/*`). */
export function md(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!<>|])/g, '\\$1');
}

/** Lines of the answer; `markdown` escapes them and uses a heading per remote. */
export function explainLines(e: ExplainResult, o: { markdown?: boolean } = {}): string[] {
  const t = o.markdown ? md : (s: string) => s;
  const out: string[] = [];
  const what = e.ref ? `${e.project} ${e.ref}` : e.project;
  if (e.existsAtSource === false) out.push(t(`${e.project} is not a project of the site (nothing under basePath).`), '');
  if (!e.remotes.length) out.push(t('No remote is configured.'));
  for (const r of e.remotes) {
    const head = `remote ${r.remote} (${r.at}): ${verdict(r, e.ref)}`;
    out.push(o.markdown ? `**${t(head)}**` : head);
    for (const s of r.steps) out.push(`${o.markdown ? '- ' : '  '}${MARK[s.outcome]} ${t(`${s.rule}: ${scrub(s.detail)}`)}`);
    for (const u of r.urls) {
      out.push(`${o.markdown ? '- ' : '  '}${t(`url ${displayUrl(u.url ?? u.template)}: ${u.replicated ? 'replicated' : 'not replicated'}`)}`);
      for (const s of u.steps) out.push(`${o.markdown ? '  - ' : '    '}${MARK[s.outcome]} ${t(`${s.rule}: ${scrub(s.detail)}`)}`);
    }
    out.push('');
  }
  return [o.markdown ? `### ${t(`Why ${what} is or is not replicated`)}` : `Why ${what} is or is not replicated`, '', ...out];
}

/** Tooltip lines (a header line, then detail lines indented by two spaces) as markdown. */
export function linesMarkdown(lines: string[]): string {
  const out: string[] = [];
  for (const l of lines) {
    if (!l.trim()) out.push('');
    else if (/^\s/.test(l)) out.push(`- ${md(l.trim())}`);
    else out.push('', md(l), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
