// Completion: section headers, the keys valid in the section and file, enum/boolean values,
// remote names (secure.config), and URL/refspec templates with a `${name}` snippet.
// A key is inserted as plain `key = ` (no snippet session: an open one keeps VS Code from
// suggesting on the next line), and a client that can re-trigger suggest shows the value list
// right away; snippets are left for templates with placeholders, each ending in `$0`.
import type { CompletionItem, Position } from 'vscode-languageserver';
import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind } from '../../service/lspConstants';
import { findKey, findSection, KeySpec, REPLICATION_CATALOG, sectionsFor, SectionSpec } from '../../catalog/keyCatalog';
import { keyMarkdown, sectionMarkdown } from '../../catalog/reference';
import { parseGitConfig } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { definedRemotes } from '../checks/checkSecure';
import { cursorAt } from './cursor';
import { applyRemoteNameStyle } from '../uri';
import type { Analysis } from '../analysis';
import type { SiteLayout } from '../siteLayout';

const md = (value: string) => ({ kind: MarkupKind.Markdown, value });

export function completeReplication(a: Analysis, pos: Position, ctx: ServiceContext): CompletionItem[] {
  const { kind, parsed, site } = a;
  const cur = cursorAt(a.doc, pos, parsed);
  const place = cur.place;

  if (place.kind === 'header') {
    const closed = parsed.text[cur.offset] === ']';
    if (place.inSubsection) {
      // An editor may have closed the quote and bracket already: `[remote "|"]`.
      const rest = parsed.text.slice(cur.offset, cur.offset + 2);
      const tail = rest.startsWith('"') ? '' : closed ? '"' : '"]';
      return remoteNameItems(kind, ctx, site, parsed, tail);
    }
    return sectionsFor(REPLICATION_CATALOG, kind).flatMap((s) => headerItems(s, kind, closed));
  }
  if (place.kind === 'key') {
    const section = place.section;
    if (!section) return sectionsFor(REPLICATION_CATALOG, kind).flatMap((s) => headerItems(s, kind, false, true));
    const spec = findSection(REPLICATION_CATALOG, section.name, kind);
    if (!spec) return [];
    const present = new Set(section.entries.filter((e) => e !== place.entry).map((e) => e.key));
    // Renaming the key of an entry that has its `=` already: only the name is replaced.
    const hasValue = !!place.entry && place.entry.value !== null;
    return spec.keys
      .filter((k) => !k.files || k.files.includes(kind))
      .filter((k) => k.multi || !present.has(k.name.toLowerCase()))
      .map((k, i) => keyItem(spec, k, i, hasValue, !!ctx.vscodeCommands));
  }
  if (place.kind === 'value') {
    const section = place.section;
    if (!section) return [];
    const spec = findSection(REPLICATION_CATALOG, section.name, kind);
    const key = spec && findKey(spec, place.keyText);
    if (!spec || !key) return [];
    // What is typed of the value so far: whole-value templates only fit an empty one.
    const typed = parsed.text.slice(place.valueStart, cur.offset).trim();
    return valueItems(key, typed === '');
  }
  return [];
}

function headerItems(s: SectionSpec, kind: string, closed: boolean, withBracket = false): CompletionItem[] {
  const open = withBracket ? '[' : '';
  const close = closed ? '' : ']';
  const bare = s.subsection === 'none' || (kind === 'fanout' && s.name === 'remote');
  const label = bare ? `${s.name}` : `${s.name} "${s.subsectionLabel ?? 'name'}"`;
  return [{
    label: withBracket ? `[${label}]` : label,
    kind: CompletionItemKind.Module,
    documentation: md(sectionMarkdown(s)),
    insertText: bare ? `${open}${s.name}${close}` : `${open}${s.name} "\${1:${s.name === 'url' ? 'ssh://host/' : 'name'}}"${close}$0`,
    insertTextFormat: bare ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
  }];
}

function remoteNameItems(kind: string, ctx: ServiceContext, site: SiteLayout, parsed: Analysis['parsed'], tail: string): CompletionItem[] {
  const names = new Set<string>();
  if (kind === 'secure') definedRemotes({ ws: ctx.ws, site })?.names.forEach((n) => names.add(n));
  else {
    // In replication.config: remotes that already have credentials in secure.config.
    const secure = ctx.ws.read(site.secureConfig);
    if (secure !== undefined) for (const s of parseGitConfig(secure).sections) if (s.name === 'remote' && s.subsection) names.add(s.subsection);
  }
  for (const s of parsed.sections) if (s.name === 'remote' && s.subsection) names.delete(s.subsection);
  return [...names].sort().map((n) => ({
    label: n,
    kind: CompletionItemKind.Reference,
    detail: kind === 'secure' ? 'remote defined in replication.config' : 'remote with credentials in secure.config',
    insertText: `${n}${tail}`,
  }));
}

/** Whether valueItems offers anything for an empty value of `k` (then the list is worth opening). */
function hasValueList(k: KeySpec): boolean {
  return valueItems(k, true).length > 0;
}

function keyItem(spec: SectionSpec, k: KeySpec, i: number, hasValue: boolean, retrigger: boolean): CompletionItem {
  const opensValues = !hasValue && retrigger && hasValueList(k);
  return {
    label: k.name,
    kind: CompletionItemKind.Property,
    detail: `${k.type}${k.unit ? ` (${k.unit})` : ''}${k.default !== undefined ? ` = ${String(k.default)}` : ''}`,
    documentation: md(keyMarkdown(spec, k)),
    insertText: hasValue ? k.name : `${k.name} = `,
    insertTextFormat: InsertTextFormat.PlainText,
    // VS Code's own command (as css-languageservice does for a property's value).
    command: opensValues ? { title: 'Suggest values', command: 'editor.action.triggerSuggest' } : undefined,
    sortText: `${k.unused ? 'z' : 'a'}${String(i).padStart(3, '0')}`,
    tags: k.unused ? [CompletionItemTag.Deprecated] : undefined,
  };
}

const URL_TEMPLATES: Array<[string, string]> = [
  ['ssh://user@host:29418/${name}.git', 'ssh://${1:git}@${2:host}:${3:29418}/\\${name}.git$0'],
  ['git@host:${name}.git', '${1:git}@${2:host}:\\${name}.git$0'],
  ['https://host/${name}.git', 'https://${1:host}/\\${name}.git$0'],
  ['file:///srv/git/${name}.git', 'file:///${1:srv/git}/\\${name}.git$0'],
];

const ADMIN_TEMPLATES: Array<[string, string]> = [
  ['gerrit+ssh://host:29418/', 'gerrit+ssh://${1:host}:${2:29418}/$0'],
  ['gerrit+https://host/', 'gerrit+https://${1:host}/$0'],
  ['ssh://user@host/${name}.git', 'ssh://${1:git}@${2:host}/\\${name}.git$0'],
];

const REFSPECS: Array<[string, string]> = [
  ['+refs/*:refs/*', 'everything, forced (a mirror)'],
  ['refs/heads/*:refs/heads/*', 'branches'],
  ['refs/tags/*:refs/tags/*', 'tags'],
  ['+refs/heads/*:refs/heads/*', 'branches, forced'],
  ['refs/changes/*:refs/changes/*', 'review refs (patch sets)'],
];

function valueItems(key: KeySpec, empty: boolean): CompletionItem[] {
  if (key.type === 'bool') {
    return ['true', 'false'].map((v) => ({ label: v, kind: CompletionItemKind.Value, detail: key.default === (v === 'true') ? 'default' : undefined }));
  }
  if (key.type === 'enum' && key.enum) {
    return key.enum.map((v) => ({
      label: v,
      kind: CompletionItemKind.EnumMember,
      detail: key.name === 'remoteNameStyle' ? `foo/bar/my-repo → ${applyRemoteNameStyle('foo/bar/my-repo', v)}` : v === key.default ? 'default' : undefined,
    }));
  }
  if (key.type === 'url') {
    const name: CompletionItem = {
      label: '${name}',
      kind: CompletionItemKind.Snippet,
      detail: 'the project name (first occurrence in the path)',
      insertText: '${name}',
      insertTextFormat: InsertTextFormat.PlainText,
      sortText: '0',
    };
    if (!empty) return [name];
    const templates = key.name === 'adminUrl' ? ADMIN_TEMPLATES : URL_TEMPLATES;
    return [name, ...templates.map(([label, snippet]) => ({ label, kind: CompletionItemKind.Snippet, insertText: snippet, insertTextFormat: InsertTextFormat.Snippet }))];
  }
  if (key.type === 'refspec') return REFSPECS.map(([label, detail]) => ({ label, detail, kind: CompletionItemKind.Value }));
  if ((key.type === 'int' || key.type === 'duration') && typeof key.default === 'number') {
    return [{ label: String(key.default), kind: CompletionItemKind.Value, detail: `default${key.unit ? ` (${key.unit})` : ''}` }];
  }
  return [];
}
