// Hover: the catalog's doc for sections and keys, plus what the plugin makes of the value
// under the cursor (value in effect, pattern semantics, the URL a project is pushed to).
import type { Hover, Position } from 'vscode-languageserver';
import { MarkupKind } from '../../service/lspConstants';
import { includedRemotes } from '../checks/checkIncludes';
import { hasIncludeSections, resolveIncludes } from '../configIncludes';
import { findKey, KeySpec } from '../../catalog/keyCatalog';
import { keyMarkdown, sectionMarkdown } from '../../catalog/reference';
import { jgitRawOf } from '../../gitconfig/jgitRead';
import type { Entry, Section } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { evaluate } from '../evaluate';
import { entriesFor, lastEntry } from '../remoteModel';
import { isSingleProjectMatch, patternKind } from '../projectFilter';
import { adminKind, formatUrl, maskUrlPassword, parseUrl, type InsteadOfRule } from '../uri';
import { expandForProject, insteadOfRules, siteProjectFor, type SiteProject } from './siteProject';
import type { Analysis } from '../analysis';

export function hoverReplication(a: Analysis, pos: Position, ctx: ServiceContext): Hover | null {
  const { doc, kind, parsed } = a;
  const offset = doc.offsetAt(pos);
  const range = (span: { start: number; end: number }) => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });

  // The sections the plugin reads, with every block of the same (section, subsection).
  for (const g of a.resolved.groups) {
    for (const s of g.sections) {
      if (offset >= s.header.start && offset <= s.header.end) {
        const lines = [sectionMarkdown(g.spec)];
        if (s.name === 'remote' && g.subsection !== null && kind !== 'secure') {
          const own = entriesFor(g.entries, 'url').map((e) => e.value ?? '');
          // urls from files this one includes belong to the same remote (JGit merges them).
          const more = hasIncludeSections(parsed) ? includedRemotes(resolveIncludes(ctx.path, parsed, ctx.ws)).get(g.subsection)?.urls ?? [] : [];
          const urls = [...own, ...more].map((u) => maskUrlPassword(u));
          lines.push('', `Remote **${g.subsection}**: ${urls.length ? urls.map((u) => `\`${u}\``).join(', ') : 'no url (skipped by the plugin)'}`);
        }
        return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: range(s.header) };
      }
      const entry = s.entries.find((e) => offset >= e.keySpan.start && offset <= Math.max(e.keySpan.end, e.valueSpan?.end ?? 0));
      if (!entry) continue;
      const key = findKey(g.spec, entry.key);
      if (!key) return null;
      // What this value does on this site leads; the key's general doc follows.
      const sample = () => siteProjectFor(a.site.etcDir, g.entries, ctx);
      const notes = valueNotes(g.spec, key, entry, s, g.subsection, g.entries, (e) => jgitRawOf(parsed, e), sample, insteadOfRules(a.resolved));
      // One paragraph per fact: markdown would run lines of one paragraph together.
      const parts = notes.length ? [notes.join('\n\n'), '', '---', '', keyMarkdown(g.spec, key)] : [keyMarkdown(g.spec, key)];
      return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n') }, range: range(entry.span) };
    }
  }
  return null;
}

function valueNotes(
  spec: Parameters<typeof evaluate>[0],
  key: KeySpec,
  entry: Entry,
  section: Section,
  subsection: string | null,
  all: Entry[],
  /** The value JGit reads (`mirror # keep`: none, so the default). */
  jgitRaw: (e: Entry) => string | null,
  /** A real project of the site this remote replicates (asked for only by a url). */
  sample: () => SiteProject,
  insteadOf: InsteadOfRule[],
): string[] {
  const notes: string[] = [];
  const written = entry.value === null ? '(no value)' : `\`${entry.value}\``;
  if (!key.multi) {
    const last = lastEntry(all, entry.key);
    if (last && last !== entry) {
      const ev = evaluate(spec, key, jgitRaw(last), subsection);
      notes.push(`This value is overridden by a later \`${key.name}\`${ev.effective ? `; in effect: **${ev.effective}**` : ''}.`);
      return notes;
    }
  }
  const ev = evaluate(spec, key, jgitRaw(entry), subsection);
  if (ev.differs && ev.effective !== undefined) notes.push(`Written: ${written} — value in effect: **${ev.effective}**`);
  for (const f of ev.findings) if (f.code.startsWith('invalid') || f.code.includes('range')) notes.push(`⚠ ${f.message}`);

  if (key.type === 'projectPattern' && entry.value) notes.push(patternNote(entry.value, key, all));
  if (key.name === 'adminUrl' && entry.value) {
    const u = parseUrl(entry.value);
    const how: Record<string, string> = {
      'gerrit-ssh': 'runs `gerrit create-project`, `deleteproject` and `gerrit set-head` over SSH on a Gerrit server',
      'gerrit-http': 'uses the Gerrit REST API with the secure.config credentials',
      ssh: 'runs `git init --bare`, `rm -rf` and `git symbolic-ref` over SSH',
      local: 'is not remote: the plugin skips it and uses url',
      none: 'is neither SSH nor a Gerrit API: the plugin skips it and uses url',
    };
    if (u.ok) notes.push(`This adminUrl ${how[adminKind(u)]}.`);
  }
  if (key.type === 'url' && entry.value && key.name === 'url') {
    const u = parseUrl(entry.value);
    if (u.ok) {
      const style = lastEntry(section.entries, 'remoteNameStyle')?.value ?? lastEntry(all, 'remoteNameStyle')?.value ?? 'slash';
      const styleNote = style !== 'slash' ? ` (remoteNameStyle ${style})` : '';
      const pushed = (project: string) => {
        const x = expandForProject(entry.value!, project, all, { style, insteadOf });
        return x.url !== undefined ? `\`${x.url}\`` : `not expanded: ${x.error}`;
      };
      const site = sample();
      // The site-specific fact first: where one of this site's own projects goes.
      if (site.known && site.project) notes.push(`Project **${site.project}** of this site is pushed to ${pushed(site.project)}${styleNote}.`);
      else if (site.known) notes.push(`No project of this site (${site.total}) matches this remote's \`projects\`/\`excludeProjects\`: nothing is pushed to this url.`);
      else {
        const single = isSingleProjectMatch(entriesFor(all, 'projects').map((e) => e.value ?? ''));
        const example = single ? entriesFor(all, 'projects')[0].value! : 'foo/bar';
        notes.push(`Project \`${example}\`${single ? '' : ' (an example: the site\'s projects are not known here)'} is pushed to ${pushed(example)}${styleNote}.`);
      }
      const where = u.host !== undefined ? `host \`${u.host}\`${u.port > 0 ? `, port ${u.port}` : ''}, ` : '';
      notes.push(`Parsed by JGit as ${u.scheme ? `\`${u.scheme}\`` : u.form === 'scp' ? 'scp-like SSH' : 'a local path'}: ${where}path \`${u.path}\`.`);
      if (u.password !== undefined) notes.push(`Shown without its password: \`${formatUrl(u)}\`.`);
    }
  }
  return notes;
}

function patternNote(v: string, key: KeySpec, all: Entry[]): string {
  const kind = patternKind(v);
  let text: string;
  if (kind === 'regex') text = `\`${v}\` is a Java regular expression that must match the **whole** project name.`;
  else if (kind === 'wildcard') text = `\`${v}\` matches every project whose name starts with \`${v.slice(0, -1)}\` (a prefix, not a glob).`;
  else text = `\`${v}\` matches exactly the project \`${v}\` (case-sensitive).`;
  if (key.name === 'projects') {
    const values = entriesFor(all, 'projects').map((e) => e.value ?? '');
    if (isSingleProjectMatch(values)) text += ' As the only, exact `projects` value it also lets `url` leave out `${name}`.';
    else if (values.length > 1) text += ` A project matching any of the ${values.length} values is replicated.`;
  } else text += ' Exclusion wins over `projects`.';
  return text;
}

