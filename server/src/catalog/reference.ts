// Markdown about keys, rendered from the catalog: the same text feeds completion, hover and the
// README's key reference (scripts/docs.mjs), so nothing about a key is written twice.
import { defaultText, FileKind, GitConfigCatalog, KeySpec, SectionSpec } from './keyCatalog';

const TYPE_TEXT: Record<KeySpec['type'], string> = {
  bool: 'boolean',
  int: 'integer (JGit: k/m/g multiply by 1024ⁿ, no units)',
  duration: 'time (Gerrit time units: 30s, 2 min, 1h…)',
  string: 'string',
  url: 'URL',
  refspec: 'refspec',
  projectPattern: 'project pattern (^regex, prefix*, or exact name)',
  regex: 'Java regular expression',
  enum: 'one of a fixed set (case-sensitive)',
  path: 'path',
  group: 'Gerrit group name',
  secret: 'secret string',
};

const FILE_TEXT: Record<FileKind, string> = {
  replication: 'replication.config',
  fanout: 'etc/replication/*.config',
  secure: 'secure.config',
};

/** The qualified name as documented: `remote.NAME.url`, `gerrit.autoReload`. */
export function qualifiedName(section: SectionSpec, key: KeySpec): string {
  return section.subsection === 'none' ? `${section.name}.${key.name}` : `${section.name}.${section.name === 'url' ? 'BASE' : 'NAME'}.${key.name}`;
}

/** Label/value facts about a key, in display order. */
export function keyFacts(section: SectionSpec, key: KeySpec): Array<[string, string]> {
  const f: Array<[string, string]> = [['Type', key.type === 'enum' && key.enum ? `one of ${key.enum.map((e) => `\`${e}\``).join(', ')} (case-sensitive)` : TYPE_TEXT[key.type]]];
  const d = defaultText(key);
  if (d !== undefined) f.push(['Default', d.includes(' ') || typeof key.default === 'string' ? d : `\`${d}\``]);
  if (key.unit) f.push(['Unit', key.unit]);
  if (key.floor !== undefined) f.push(['Minimum', `${key.floor} (smaller values are raised to it)`]);
  if (key.negative) f.push(['Negative values', key.negative]);
  if (key.multi) f.push(['Repeatable', 'yes: every value counts']);
  else f.push(['Repeatable', 'no: the last value wins']);
  if (key.since) f.push(['Since', `plugin ${key.since}`]);
  if (key.onlyOn) f.push(['Only on', key.onlyOn]);
  if (key.unused) f.push(['Used by the plugin', 'no (parsed by JGit only)']);
  const files = key.files ?? section.files;
  f.push(['Files', files.map((x) => FILE_TEXT[x]).join(', ')]);
  return f;
}

/** Hover/completion documentation of a key. */
export function keyMarkdown(section: SectionSpec, key: KeySpec): string {
  const lines = [`**${qualifiedName(section, key)}**`, '', key.doc, ''];
  for (const [label, value] of keyFacts(section, key)) lines.push(`- ${label}: ${value}`);
  if (key.example) lines.push('', '```ini', key.example, '```');
  return lines.join('\n');
}

export function sectionMarkdown(section: SectionSpec): string {
  const header = section.subsection === 'none' ? `[${section.name}]` : `[${section.name} "${section.subsectionLabel ?? 'name'}"]`;
  return [`**${header}** — ${section.files.map((f) => FILE_TEXT[f]).join(', ')}`, '', section.doc].join('\n');
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The README "Key reference" body: one table per section, then each key's paragraph. */
export function renderKeyReference(catalog: GitConfigCatalog): string {
  const out: string[] = [];
  for (const s of catalog.sections) {
    const title = s.subsection === 'none' ? `[${s.name}]` : `[${s.name} "${s.subsectionLabel ?? 'name'}"]`;
    out.push(`### ${title} in ${s.files.map((f) => FILE_TEXT[f]).join(', ')}`, '', s.doc, '');
    out.push('| Key | Type | Default | Unit | Min | Multi | Notes |', '|---|---|---|---|---|---|---|');
    for (const k of s.keys) {
      const notes = [k.since ? `since ${k.since}` : '', k.onlyOn ? `only on ${k.onlyOn}` : '', k.unused ? 'not used by the plugin' : '', k.files ? `only in ${k.files.map((f) => FILE_TEXT[f]).join(', ')}` : '']
        .filter(Boolean)
        .join('; ');
      const type = k.type === 'enum' && k.enum ? k.enum.join(' / ') : k.type;
      out.push(`| \`${k.name}\` | ${cell(type)} | ${cell(defaultText(k) ?? '—')} | ${k.unit ?? '—'} | ${k.floor ?? '—'} | ${k.multi ? 'yes' : 'no'} | ${cell(notes || '—')} |`);
    }
    out.push('');
    for (const k of s.keys) {
      out.push(`- **${qualifiedName(s, k)}** — ${k.doc}${k.example ? ` Example: \`${k.example}\`.` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}
