// Editor features for gitolite.conf and .gitolite.rc: completion, hover, definition and
// references (@groups, included files), document symbols, folding, and renaming a group.
// All of them read the same cached site analysis the diagnostics come from.
import { resolve } from 'node:path';
import type {
  CompletionItem, DocumentSymbol, FoldingRange, Hover, Position, Range, WorkspaceEdit,
} from 'vscode-languageserver';
import { CompletionItemKind, Location, MarkupKind, SymbolKind, TextEdit } from '../service/lspConstants';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageModule, ServiceContext } from '../service/types';
import { entryMarkdown, GITOLITE_CATALOG, optionEntry, permissionEntry } from './gitoliteCatalog';
import type { ConfLine, Tok } from './compile/confParser';
import { tokRange, toksRange } from './diag';
import { docWorkspace, fileUri } from './lsp';
import type { MirrorRepo } from './mirrorModel';
import { REPONAME_PATT } from './compile/patterns';
import { analysisForConf, analysisForRc, SiteAnalysis } from './confSite';
import type { GitoliteCaches } from './caches';
import { RequestRefused } from '../service/errors';
import { allGroupRefs, GroupRef, groupRefAt, lineAt, localGroupsAt, renameClash, subconfOf } from './compile/groupRefs';

const PERM_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?)$/;

/** The service context, with the gitolite caches of the module instance that answers. */
type GlContext = ServiceContext & { gitolite: GitoliteCaches };

/** `features` with the caches handed to each call (see createGitoliteModules). */
function withCaches(caches: GitoliteCaches, features: Record<string, (...a: never[]) => unknown>): Partial<LanguageModule> {
  const out: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(features)) {
    out[name] = (...args: unknown[]) => {
      args[args.length - 1] = { ...(args[args.length - 1] as ServiceContext), gitolite: caches };
      return (f as (...a: unknown[]) => unknown)(...args);
    };
  }
  return out as Partial<LanguageModule>;
}

function site(doc: TextDocument, ctx: GlContext): { a: SiteAnalysis; path: string; lines: ConfLine[] } {
  const path = resolve(ctx.path);
  const a = analysisForConf(ctx.gitolite, path, docWorkspace(doc, ctx), ctx.gitoliteRc);
  return { a, path, lines: a.exploded.files.get(path)?.lines ?? [] };
}

function tokenAt(lines: ConfLine[], pos: Position): { cl: ConfLine; tok: Tok; idx: number } | undefined {
  const cl = lineAt(lines, pos.line);
  if (!cl) return undefined;
  const idx = cl.toks.findIndex((t) => t.line === pos.line && t.start <= pos.character && pos.character <= t.end);
  return idx < 0 ? undefined : { cl, tok: cl.toks[idx], idx };
}

const md = (value: string, range?: Range): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });

function describeRepo(r: MirrorRepo, hostname: string | undefined): string {
  const copies = r.copies.length ? r.copies.map((c) => `\`${c.host}\`${c.mode === 'async' ? '' : ` (${c.mode})`}`).join(', ') : '_none_';
  const redirect = r.redirectOK === 'all' ? 'all copies' : r.redirectOK.length ? r.redirectOK.map((h) => `\`${h}\``).join(', ') : '_none_';
  const mode: Record<MirrorRepo['mode'], string> = {
    master: 'master: users push here, and each push goes out to the copies',
    copy: `copy: only the master \`${r.master ?? '?'}\` may push here; user pushes are refused${r.redirectOK === 'all' || (hostname && r.redirectOK.includes(hostname)) ? ' or redirected to the master' : ''}`,
    local: hostname ? 'local: not mirrored here' : 'local: HOSTNAME is not set, so gitolite ignores every mirror option here',
    'mirrored-elsewhere': "mirrored elsewhere: gitolite refuses every access here (\"is mirrored but not here\")",
  };
  return [
    `**${r.isPattern ? 'repos matching ' : 'repo '}\`${r.name}\`**`,
    '',
    `- master: ${r.master ? `\`${r.master}\`` : '_none_'}`,
    `- copies: ${copies}`,
    `- redirectOK: ${redirect}`,
    `- this host${hostname ? ` (\`${hostname}\`)` : ''}: ${mode[r.mode]}`,
  ].join('\n');
}

const where = (file: string, line: number) => `${file.split('/').pop()}:${line + 1}`;

function groupMarkdown(a: SiteAnalysis, name: string, note = ''): string {
  if (name === '@all') return '**@all**\n\nEvery repo (on a repo line) or every user (in a rule).';
  const members = a.compiled.groups.get(name);
  const defs = a.compiled.groupDefs.filter((d) => d.name === name);
  if (!members) return `**${name}**\n\n${note}Not defined in this conf${a.rc.grouplistPgm ? ' (GROUPLIST_PGM may supply it)' : ''}.`;
  const list = [...members.keys()];
  const shown = list.slice(0, 50).map((m) => `\`${m}\``).join(' ');
  return `**${name}** — ${list.length} member${list.length === 1 ? '' : 's'} (nested groups expanded)\n\n${note}${shown}${list.length > 50 ? ` … and ${list.length - 50} more` : ''}\n\nDefined at ${defs.map((d) => where(d.file, d.tok.line)).join(', ')}`;
}

/** What a written @name means where it stands in a subconf file, when that is not obvious. */
function subconfNote(a: SiteAnalysis, ref: GroupRef): string {
  if (ref.prefixedBy) return `In subconf \`${ref.prefixedBy}\`, \`${ref.tok.text}\` here is the subconf's own group (gitolite prefixes the groups a subconf defines).\n\n`;
  const sub = subconfOf(a.exploded, ref.file);
  const local = `@${sub}.${ref.tok.text.slice(1)}`;
  if (sub === 'master' || ref.name === '@all' || !a.compiled.groups.has(local)) return '';
  const def = a.compiled.groupDefs.find((d) => d.name === local);
  return `In subconf \`${sub}\`, \`${ref.tok.text}\` here is still the master's group: the subconf's own \`${ref.tok.text}\` (\`${local}\`) is defined only later${def ? `, at ${where(def.file, def.tok.line)}` : ''}.\n\n`;
}

function hostMarkdown(a: SiteAnalysis, host: string): string {
  const masterOf = a.mirror.repos.filter((r) => r.master === host).map((r) => r.name);
  const copyOf = a.mirror.repos.filter((r) => r.copies.some((c) => c.host === host)).map((r) => r.name);
  const me = a.rc.hostname?.value === host ? ' — this server (HOSTNAME)' : '';
  const list = (xs: string[]) => (xs.length ? xs.slice(0, 20).map((x) => `\`${x}\``).join(', ') + (xs.length > 20 ? ` … ${xs.length - 20} more` : '') : '_none_');
  return `**host \`${host}\`**${me}\n\n- master of: ${list(masterOf)}\n- copy of: ${list(copyOf)}`;
}

function confHover(doc: TextDocument, pos: Position, ctx: GlContext): Hover | null {
  const { a, lines, path } = site(doc, ctx);
  const at = tokenAt(lines, pos);
  if (!at) return null;
  const { cl, tok, idx } = at;
  const range = tokRange(tok);
  const first = cl.toks[0].text;
  if (idx === 0) {
    if (PERM_RE.test(tok.text)) { const e = permissionEntry(tok.text); if (e) return md(entryMarkdown(e, `permission ${tok.text}`), range); }
    const kw = GITOLITE_CATALOG.keywords.find((k) => k.name === tok.text || (tok.text === '=' && k.name === '=begin testconf'));
    if (kw) return md(entryMarkdown(kw), range);
  }
  if (tok.text.startsWith('@')) {
    const ref = groupRefAt(a.exploded, path, cl, idx)!;
    return md(groupMarkdown(a, ref.name, subconfNote(a, ref)), range);
  }
  if (first === 'option' && idx === 1) { const e = optionEntry(tok.text.replace(/^mirror\.slaves/, 'mirror.copies')); if (e) return md(entryMarkdown(e, `option ${tok.text}`), range); }
  if (first === 'config' && idx === 1) { const e = GITOLITE_CATALOG.options.find((o) => o.name.toLowerCase() === tok.text.toLowerCase()); if (e) return md(entryMarkdown(e), range); }
  if (first === 'repo' && idx > 0) {
    const name = tok.text.replace(/\.git$/, '');
    const r = a.mirror.repos.find((x) => x.name === name);
    if (r) return md(describeRepo(r, a.rc.hostname?.value), range);
    return md(`**repo \`${name}\`**\n\n${a.mirror.dialect === 'none' ? 'No mirror settings in this conf: the repo is local on every server.' : 'No mirror option applies to it: it is local (not mirrored).'}`, range);
  }
  if ((first === 'option' || first === 'config') && /mirror\.(master|copies|slaves|redirectOK)/i.test(cl.toks[1]?.text ?? '') && idx > 2) {
    const host = tok.text.replace(/^["']|["']$/g, '');
    if (host !== 'all' && host !== 'true') return md(hostMarkdown(a, host), range);
  }
  if ((first === 'include' || first === 'subconf') && idx > 0) {
    const inc = a.exploded.includes.find((i) => i.cl === cl);
    if (inc) return md(`**${first}** ${inc.glob}\n\n${inc.targets.length ? inc.targets.map((t) => `- ${t}`).join('\n') : '_no file matches_'}`, range);
  }
  return null;
}

function completionPrefix(doc: TextDocument, pos: Position): { words: string[]; current: string; inComment: boolean } {
  const text = doc.getText({ start: { line: pos.line, character: 0 }, end: pos });
  const inComment = /^(?:".*?"|[^#"])*#/.test(text);
  const eq = text.indexOf('=');
  const spaced = eq < 0 ? text : text.slice(0, eq) + ' = ' + text.slice(eq + 1);
  const current = /(\S*)$/.exec(text)![1];
  const words = spaced.slice(0, spaced.length - (/(\S*)$/.exec(spaced)![1].length)).split(/\s+/).filter(Boolean);
  return { words, current, inComment };
}

function confComplete(doc: TextDocument, pos: Position, ctx: GlContext): CompletionItem[] {
  const { words, current, inComment } = completionPrefix(doc, pos);
  if (inComment) return [];
  const { a, path } = site(doc, ctx);
  const groups = (): CompletionItem[] => {
    // In a subconf, `@x` names the subconf's own `@S.x` once S has defined it: offer it as written.
    const local = localGroupsAt(a.exploded, path, pos.line);
    const size = (g: string) => a.compiled.groups.get(g)?.size ?? 0;
    return [
      { label: '@all', kind: CompletionItemKind.Constant, detail: 'every repo / every user' },
      ...[...local].sort().map(([w, g]) => ({ label: w, kind: CompletionItemKind.Variable, detail: `subconf group ${g}, ${size(g)} members` })),
      ...[...a.compiled.groups.keys()].filter((g) => !local.has(g)).sort().map((g) => ({ label: g, kind: CompletionItemKind.Variable, detail: `group, ${size(g)} members` })),
    ];
  };
  const hosts = (withAll: boolean): CompletionItem[] => {
    const hs = new Set(a.mirror.hosts);
    if (a.rc.hostname) hs.add(a.rc.hostname.value);
    const out: CompletionItem[] = [...hs].sort().map((h) => ({ label: h, kind: CompletionItemKind.Value, detail: h === a.rc.hostname?.value ? 'this server (HOSTNAME)' : 'mirror host' }));
    if (withAll) out.unshift({ label: 'all', kind: CompletionItemKind.Keyword, detail: 'every copy may redirect pushes' });
    return out;
  };
  if (current.startsWith('@')) return groups();
  const first = words[0];
  if (!first) {
    return [
      ...GITOLITE_CATALOG.keywords.filter((k) => k.name !== '@group =').map((k) => ({ label: k.name, kind: CompletionItemKind.Keyword, documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(k) } })),
      ...GITOLITE_CATALOG.permissions.map((p) => ({ label: p.name, kind: CompletionItemKind.Operator, detail: 'permission', documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(p) } })),
    ];
  }
  const afterEq = words.includes('=');
  if (first === 'option') {
    if (words.length === 1)
      return GITOLITE_CATALOG.options.filter((o) => o.dialect !== 'v2' && o.name !== 'mirror.slaves').map((o) => ({ label: o.name, kind: CompletionItemKind.Property, insertText: `${o.name} = `, documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(o) } }));
    if (afterEq && /^mirror\.(master|copies|slaves|redirectOK)/.test(words[1])) return hosts(/^mirror\.redirectOK/.test(words[1]));
    return [];
  }
  if (first === 'config') {
    if (words.length === 1) return GITOLITE_CATALOG.options.filter((o) => o.dialect === 'v2').map((o) => ({ label: o.name, kind: CompletionItemKind.Property, detail: 'gitolite v2 mirroring', documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(o) } }));
    if (afterEq && /^gitolite\.mirror\./i.test(words[1])) return hosts(false);
    return [];
  }
  if (first === 'repo') {
    const names = new Set(a.compiled.repoItems.map((r) => r.name).filter((n) => !n.startsWith('@')));
    return [...groups(), ...[...names].sort().map((n) => ({ label: n, kind: CompletionItemKind.Module, detail: 'repo' }))];
  }
  if (first === 'include' || first === 'subconf') {
    const out: CompletionItem[] = [];
    const walk = (dir: string, rel: string, depth: number) => {
      for (const n of (ctx.ws.list(dir) ?? []).sort()) {
        const p = `${dir}/${n}`;
        const st = ctx.ws.stat(p);
        if (st?.isDirectory && depth < 3 && !n.startsWith('.')) walk(p, rel + n + '/', depth + 1);
        else if (st?.isFile && n.endsWith('.conf') && rel + n !== 'gitolite.conf') out.push({ label: `"${rel}${n}"`, kind: CompletionItemKind.File });
      }
    };
    walk(a.confDir, '', 0);
    return out;
  }
  if (PERM_RE.test(first) || first.startsWith('@')) {
    if (!afterEq) return first.startsWith('@') ? [] : [...groups().slice(1), ...['refs/heads/', 'refs/tags/', 'VREF/NAME/'].map((r) => ({ label: r, kind: CompletionItemKind.Folder }))];
    const users = new Set<string>();
    for (const l of a.compiled.lines) {
      const t = l.cl.toks;
      const e = t.findIndex((x) => x.text === '=');
      if (e > 0 && PERM_RE.test(t[0].text)) for (const u of t.slice(e + 1)) if (!u.text.startsWith('@')) users.add(u.text);
    }
    return [...groups(), { label: 'CREATOR', kind: CompletionItemKind.Constant }, ...[...a.rc.roles].map((r) => ({ label: r, kind: CompletionItemKind.Constant, detail: 'role' })), ...[...users].sort().map((u) => ({ label: u, kind: CompletionItemKind.Text, detail: "user" }))];
  }
  return [];
}

/** The renamable group under the cursor: an @name written as such (not made by %HOSTNAME), not @all. */
function groupAt(doc: TextDocument, pos: Position, ctx: GlContext) {
  const s = site(doc, ctx);
  const at = tokenAt(s.lines, pos);
  const ref = at && groupRefAt(s.a.exploded, s.path, at.cl, at.idx);
  return ref && ref.name !== '@all' && !ref.viaHostname ? { ...s, ref } : undefined;
}

/** Every token of the site that names group `name` (as gitolite resolves it, subconf prefixes included). */
function groupTokens(a: SiteAnalysis, name: string): GroupRef[] {
  return allGroupRefs(a.exploded).filter((r) => r.name === name);
}

function confDefinition(doc: TextDocument, pos: Position, ctx: GlContext): Location[] {
  const s = site(doc, ctx);
  const at = tokenAt(s.lines, pos);
  if (!at) return [];
  const ref = groupRefAt(s.a.exploded, s.path, at.cl, at.idx);
  if (ref) return s.a.compiled.groupDefs.filter((d) => d.name === ref.name).map((d) => Location.create(fileUri(d.file), tokRange(d.tok)));
  const inc = s.a.exploded.includes.find((i) => i.cl === at.cl);
  if (inc && at.idx > 0) return inc.targets.map((t) => Location.create(fileUri(t), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
  return [];
}

function confReferences(doc: TextDocument, pos: Position, ctx: GlContext): Location[] {
  const s = site(doc, ctx);
  const at = tokenAt(s.lines, pos);
  if (!at) return [];
  const ref = groupRefAt(s.a.exploded, s.path, at.cl, at.idx);
  if (ref) return groupTokens(s.a, ref.name).map((x) => Location.create(fileUri(x.file), tokRange(x.tok)));
  const inc = s.a.exploded.includes.find((i) => i.cl === at.cl);
  if (inc && at.idx > 0) {
    const targets = new Set(inc.targets);
    return s.a.exploded.includes.filter((i) => i.targets.some((t) => targets.has(t))).map((i) => Location.create(fileUri(i.file), toksRange(i.globToks[0], i.globToks[i.globToks.length - 1])));
  }
  return [];
}

function confPrepareRename(doc: TextDocument, pos: Position, ctx: GlContext): Range | null {
  const g = groupAt(doc, pos, ctx);
  if (!g || !g.a.compiled.groups.has(g.ref.name)) return null;
  return tokRange(g.ref.tok);
}

function confRename(doc: TextDocument, pos: Position, newName: string, ctx: GlContext): WorkspaceEdit | null {
  const g = groupAt(doc, pos, ctx);
  if (!g) return null;
  const { a, ref } = g;
  const from = ref.name;
  // The new name is typed as it is written at the cursor: inside a subconf, `@x` there stands for `@S.x`.
  const typed = newName.startsWith('@') ? newName : '@' + newName;
  const to = ref.prefixedBy ? `@${ref.prefixedBy}.${typed.slice(1)}` : typed;
  // Refusals reach the user as the rename's error message.
  if (!REPONAME_PATT.test(typed) || typed === '@all' || !REPONAME_PATT.test(to)) throw new RequestRefused(`'${newName}' is not a valid gitolite group name`);
  if (to !== from) {
    // Renaming onto an existing group would merge the two silently and change who has access.
    if (a.compiled.groups.has(to)) throw new RequestRefused(`${to} already exists: renaming ${from} to it would merge the two groups`);
    const taken = allGroupRefs(a.exploded).find((r) => r.name === to);
    if (taken) throw new RequestRefused(`${to} is already used at ${where(taken.file, taken.tok.line)}: renaming ${from} to it would give those uses its members`);
  }
  const refs = groupTokens(a, from);
  const edits = new Map<Tok, string>();
  for (const r of refs) {
    if (r.viaHostname) throw new RequestRefused(`${from} is also named through %HOSTNAME at ${where(r.file, r.tok.line)}: rename it by hand`);
    let text = to;
    if (r.prefixedBy) {
      // Written `@x` in subconf S always names `@S.x`: the group must stay S's.
      const pre = `@${r.prefixedBy}.`;
      if (!to.startsWith(pre) || to.length === pre.length) throw new RequestRefused(`${from} is subconf '${r.prefixedBy}''s own group (written @${from.slice(pre.length)} at ${where(r.file, r.tok.line)}): its new name must be ${pre}<name>`);
      text = '@' + to.slice(pre.length);
    }
    edits.set(r.tok, text);
  }
  // A new written name may fall under (or out of) a subconf's prefixing elsewhere: refuse any
  // edit that would change which group another token, or a renamed one, names.
  const clash = renameClash(a.exploded, edits, from, to);
  if (clash) throw new RequestRefused(`renaming ${from} to ${to} would change what ${clash.tok.text} at ${where(clash.file, clash.tok.line)} names (${clash.was} would become ${clash.now}) in subconf '${subconfOf(a.exploded, clash.file)}'`);
  const changes: Record<string, TextEdit[]> = {};
  for (const r of refs) (changes[fileUri(r.file)] ??= []).push(TextEdit.replace(tokRange(r.tok), edits.get(r.tok)!));
  return { changes };
}

/** Repo blocks: from a repo line to the line before the next repo/group/include line. */
function blocks(lines: ConfLine[], lineCount: number): Array<{ cl: ConfLine; end: number }> {
  const out: Array<{ cl: ConfLine; end: number }> = [];
  let cur: ConfLine | undefined;
  let last = 0;
  for (const cl of lines) {
    const f = cl.toks[0].text;
    if (f === 'repo' || (f.startsWith('@') && cl.toks[1]?.text === '=') || f === 'include' || f === 'subconf') {
      if (cur) out.push({ cl: cur, end: last });
      cur = f === 'repo' ? cl : undefined;
    }
    last = cl.endLine;
  }
  if (cur) out.push({ cl: cur, end: Math.max(last, cur.endLine, Math.min(lineCount - 1, last)) });
  return out;
}

function confSymbols(doc: TextDocument, ctx: GlContext): DocumentSymbol[] {
  const { lines } = site(doc, ctx);
  const out: DocumentSymbol[] = [];
  const ends = new Map(blocks(lines, doc.lineCount).map((b) => [b.cl, b.end]));
  // Within ctx.itemBudget (gitReplication.maxItemsComputed): the first items of the file.
  const room = () => !ctx.itemBudget || ctx.itemBudget.take(1) === 1;
  for (const cl of lines) {
    const f = cl.toks[0];
    const whole = toksRange(f, cl.toks[cl.toks.length - 1]);
    const kind = f.text === 'repo' && cl.toks.length > 1 ? 'repo' : f.text.startsWith('@') && cl.toks[1]?.text === '=' ? 'group' : (f.text === 'include' || f.text === 'subconf') && cl.toks.length > 1 ? 'file' : undefined;
    if (kind && !room()) break;
    if (kind === 'repo') {
      const end = ends.get(cl) ?? cl.endLine;
      const endText = doc.getText({ start: { line: end, character: 0 }, end: { line: end + 1, character: 0 } }).replace(/\r?\n$/, '');
      out.push({ name: cl.toks.slice(1).map((t) => t.text).join(' '), detail: 'repo', kind: SymbolKind.Module, range: { start: whole.start, end: { line: end, character: endText.length } }, selectionRange: toksRange(cl.toks[1], cl.toks[cl.toks.length - 1]) });
    } else if (kind === 'group') {
      out.push({ name: f.text, detail: `group: ${cl.toks.slice(2).map((t) => t.text).join(' ')}`.slice(0, 80), kind: SymbolKind.Array, range: whole, selectionRange: tokRange(f) });
    } else if (kind === 'file') {
      out.push({ name: `${f.text} ${cl.toks.slice(1).map((t) => t.text).join(' ')}`, kind: SymbolKind.File, range: whole, selectionRange: whole });
    }
  }
  return out;
}

function confFolding(doc: TextDocument, ctx: GlContext): FoldingRange[] {
  const { lines } = site(doc, ctx);
  const out: FoldingRange[] = [];
  for (const b of blocks(lines, doc.lineCount)) {
    if (b.end <= b.cl.line) continue;
    if (ctx.itemBudget && !ctx.itemBudget.take(1)) break;
    out.push({ startLine: b.cl.line, endLine: b.end });
  }
  return out;
}

export const confFeatures = (caches: GitoliteCaches): Partial<LanguageModule> => withCaches(caches, {
  complete: confComplete,
  hover: confHover,
  definition: confDefinition,
  references: confReferences,
  documentSymbols: confSymbols,
  foldingRanges: confFolding,
  prepareRename: confPrepareRename,
  rename: confRename,
});

// --- .gitolite.rc ---

function wordAt(doc: TextDocument, pos: Position): { word: string; range: Range } | undefined {
  const line = doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
  const re = /\$?[\w-]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) if (m.index <= pos.character && pos.character <= m.index + m[0].length) return { word: m[0], range: { start: { line: pos.line, character: m.index }, end: { line: pos.line, character: m.index + m[0].length } } };
  return undefined;
}

function rcHover(doc: TextDocument, pos: Position, ctx: GlContext): Hover | null {
  const w = wordAt(doc, pos);
  if (!w) return null;
  const key = GITOLITE_CATALOG.rcKeys.find((k) => k.name === w.word);
  if (key) return md(entryMarkdown(key), w.range);
  const en = GITOLITE_CATALOG.enableNames.find((k) => k.name === w.word);
  const line = doc.getText({ start: { line: pos.line, character: 0 }, end: { line: pos.line + 1, character: 0 } });
  if (en && /['"]/.test(line)) return md(entryMarkdown(en, `ENABLE '${en.name}'`), w.range);
  const a = analysisForRc(ctx.gitolite, resolve(ctx.path), docWorkspace(doc, ctx));
  if (a && (a.mirror.hosts.has(w.word) || a.rc.hostname?.value === w.word)) return md(hostMarkdown(a, w.word), w.range);
  return null;
}

function rcComplete(doc: TextDocument, pos: Position, ctx: GlContext): CompletionItem[] {
  const before = doc.getText({ start: { line: pos.line, character: 0 }, end: pos });
  if (/#/.test(before)) return [];
  if (/^\s*['"]?[\w-]*$/.test(before) && /['"]/.test(before))
    return GITOLITE_CATALOG.enableNames.map((e) => ({ label: e.name, kind: CompletionItemKind.EnumMember, documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(e) } }));
  if (/HOSTNAME\s*=>?\s*['"]?[\w-]*$/.test(before)) {
    const a = analysisForRc(ctx.gitolite, resolve(ctx.path), docWorkspace(doc, ctx));
    return [...(a?.mirror.hosts ?? [])].sort().map((h) => ({ label: h, kind: CompletionItemKind.Value, detail: 'named in gitolite.conf' }));
  }
  return GITOLITE_CATALOG.rcKeys.map((k) => ({
    label: k.name,
    kind: CompletionItemKind.Property,
    insertText: k.name.startsWith('$') ? `${k.name} = ` : `${k.name} => `,
    documentation: { kind: MarkupKind.Markdown, value: entryMarkdown(k) },
  }));
}

export const rcFeatures = (caches: GitoliteCaches): Partial<LanguageModule> => withCaches(caches, { hover: rcHover, complete: rcComplete });
