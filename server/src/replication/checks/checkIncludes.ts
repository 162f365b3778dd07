// Diagnostics for `[include]` / `[includeIf]` lines, and what included files add to the
// remotes of this file (so "no url" and the `${name}` rule see the merged view). Only the
// include lines of this file are reported here; lines of included files are named at the
// include line that reaches them only when they stop the plugin from loading.
import { dirname, isAbsolute, relative } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { DiagnosticSeverity } from '../../service/lspConstants';
import type { FileKind } from '../../catalog/keyCatalog';
import type { ParsedConfig, Section } from '../../gitconfig/parser';
import type { Workspace } from '../../service/workspace';
import { isSymlink } from '../../service/confine';
import type { SiteLayout } from '../siteLayout';
import { LineIndex } from '../../gitconfig/parser';
import type { CheckContext } from '../context';
import { hasIncludeSections, IncludeLink, IncludeTree, includeLineError, JGIT_MAX_DEPTH, resolveIncludes } from '../configIncludes';

/** Per remote name: what the included files contribute. */
export type IncludedRemotes = Map<string, { urls: string[]; projects: string[] }>;

/** Remote names and contributions from included files (entries of the top file left out). */
export function includedRemotes(tree: IncludeTree): IncludedRemotes {
  const out: IncludedRemotes = new Map();
  for (const m of tree.entries) {
    if (m.file === tree.top) continue;
    const s = m.entry.section;
    if (!s || s.name !== 'remote' || s.subsection === null || s.legacy || s.broken) continue;
    let r = out.get(s.subsection);
    if (!r) out.set(s.subsection, (r = { urls: [], projects: [] }));
    if (m.entry.key === 'url') r.urls.push(m.entry.value ?? '');
    else if (m.entry.key === 'projects') r.projects.push(m.entry.value ?? '');
  }
  return out;
}

function includeSections(c: CheckContext): Section[] {
  return c.parsed.sections.filter((s) => s.name === 'include' && !s.broken && !s.legacy);
}

type ValidateIncluded = (path: string, parsed: ParsedConfig, kind: FileKind, site: SiteLayout, ws: Workspace) => Diagnostic[];

export function checkIncludes(c: CheckContext, validateIncluded?: ValidateIncluded): IncludeTree | undefined {
  if (!hasIncludeSections(c.parsed)) return undefined;
  for (const s of c.parsed.sections) {
    if (s.name !== 'includeif' || s.broken) continue;
    c.report('include-if-ignored', s.header, `JGit has no includeIf: it reads ${c.parsed.text.slice(s.header.start, s.header.end)} as an unknown section, so the plugin never reads the file it names.`);
  }
  if (c.kind === 'fanout') {
    // FanoutConfigResource joins the lines of every fan-out file and parses them with a plain
    // Config, whose readIncludedConfig returns null; invalid [include] lines still throw.
    for (const s of includeSections(c)) {
      c.report('include-not-followed', s.header, `The plugin reads fan-out files as text and parses them with a plain JGit Config (FanoutConfigResource), which never follows includes: the files named here are not read.`);
      for (const e of s.entries) {
        const invalid = includeLineError(c.parsed, s, e);
        if (invalid) c.report('include-invalid', e.span, invalid);
      }
    }
    return undefined;
  }
  const tree = resolveIncludes(c.path, c.parsed, c.ws);
  const topDir = dirname(c.path);
  const rel = (p: string) => {
    const r = relative(topDir, p);
    return r.startsWith('..') || isAbsolute(r) ? p : r;
  };
  const seenRoots = new Set<IncludeLink>();
  for (const link of tree.links) {
    const span = link.entry.valueSpan ?? link.entry.span;
    if (c.kind === 'secure' && link.status === 'read') {
      // The passwords in an included file are as exposed as in secure.config itself.
      const mode = c.ws.stat(link.target)?.mode ?? 0;
      if (mode & 0o044) {
        const who = mode & 0o004 ? 'every user on the host' : 'the file\'s group';
        c.report('secure-readable', span, `${rel(link.target)} (included by secure.config) has mode ${(mode & 0o777).toString(8).padStart(3, '0')}: ${who} can read the credentials in it. Run chmod 600 on it.`);
      }
    }
    if (link.status === 'outside' || link.status === 'not-regular') {
      // Reported at the line of this file that reaches it; its text is never read or quoted.
      const at = link.root ? link.root.entry.valueSpan ?? link.root.entry.span : span;
      const via = link.file === c.path ? '' : ` (included by ${rel(link.file)})`;
      if (link.status === 'outside') c.report('include-outside-site', at, `${link.target}${via} ${isSymlink(link.target) ? 'is a symlink that leads' : 'is'} outside the Gerrit site: JGit would read it, but check does not read files outside the site, so nothing from it is checked.`);
      else c.report('include-not-regular', at, `${link.target}${via} is not a regular file (a FIFO, a device or a socket): JGit would block or fail reading it when the plugin loads; check does not open it.`);
      continue;
    }
    if (link.file === c.path && link.status === 'skipped') {
      c.report('include-missing', span, `JGit finds no readable file at ${link.target} and skips this include silently: nothing from it is read. (JGit resolves relative paths against the directory of this file, in nested includes too.)`);
    }
    if (link.status === 'too-deep' && link.root && !seenRoots.has(link.root)) {
      seenRoots.add(link.root);
      const full = [...link.chain, link.target];
      // A cycle: show it up to the first file that comes round again.
      const again = full.findIndex((f, i) => full.indexOf(f) < i);
      const circular = again >= 0;
      const chain = (circular ? full.slice(0, again + 1) : full).map(rel);
      const rootSpan = link.root.entry.valueSpan ?? link.root.entry.span;
      c.report('include-too-deep', rootSpan, `${circular ? 'These includes are circular' : 'These includes nest too deep'}: JGit parses at most ${JGIT_MAX_DEPTH} levels (this file is level 1) and then fails with "Too many recursions; circular includes in config file(s)?", so the plugin does not load. Chain: ${chain.join(' → ')}${circular ? ' → …' : ''}`);
    }
  }
  const faultRoots = new Set<IncludeLink>();
  const seenFaults = new Set<string>();
  for (const f of tree.faults) {
    if (f.root === null) {
      c.report('include-invalid', f.span, f.message);
      continue;
    }
    const key = `${f.file}:${f.span.start}`;
    if (seenFaults.has(key) || faultRoots.has(f.root)) continue;
    seenFaults.add(key);
    faultRoots.add(f.root);
    const line = new LineIndex(f.doc.text).position(f.span.start).line + 1;
    const rootSpan = f.root.entry.valueSpan ?? f.root.entry.span;
    c.report('include-invalid', rootSpan, `${rel(f.file)}:${line}: ${f.message} JGit fails with "Cannot read file ${f.root.entry.value}", so the plugin does not load.`, {
      related: [{ path: f.file, span: f.span, text: f.doc.text, message: 'JGit rejects this line' }],
    });
  }
  // What JGit rejects in the included files' keys and values stops the plugin as surely as
  // in this file, and nothing else shows those files: name the first such error here.
  if (validateIncluded && !tree.fails) {
    const rootOf = new Map<string, IncludeLink>();
    for (const l of tree.links) if (l.status === 'read' && l.root && !rootOf.has(l.target)) rootOf.set(l.target, l.root);
    const reported = new Set<IncludeLink>();
    for (const [file, parsed] of tree.included) {
      const root = rootOf.get(file);
      if (!root || reported.has(root)) continue;
      const all = validateIncluded(file, parsed, c.kind, c.site, c.ws).filter((d) => d.severity === 1);
      // Errors that stop the plugin first; what only git rejects is reported as information.
      const fatal = all.filter((d) => LOAD_FAILS.test(d.message));
      const errors = fatal.length ? fatal : all;
      if (!errors.length) continue;
      reported.add(root);
      const e = errors[0];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''} there)` : '';
      c.report('include-invalid', root.entry.valueSpan ?? root.entry.span, `${rel(file)}:${e.range.start.line + 1}: ${e.message}${more}`, {
        related: [{ path: file, span: errorSpan(parsed.text, e), text: parsed.text, message: `[${String(e.code)}] ${e.message}` }],
        severity: fatal.length ? undefined : DiagnosticSeverity.Information,
      });
    }
  }
  if (c.kind === 'replication' && c.remotesIgnored) {
    // FanoutConfigResource.removeRemotes → Config.unsetSection, which skips lines that came
    // from included files: those remotes stay, although the log says "Ignoring: …".
    const byRoot = new Map<IncludeLink, Set<string>>();
    for (const m of tree.entries) {
      const s = m.entry.section;
      if (m.file === c.path || !s || s.name !== 'remote' || s.subsection === null || s.legacy || s.broken) continue;
      const link = tree.links.find((l) => l.status === 'read' && (l.target === m.file) && l.root);
      if (!link?.root) continue;
      const names = byRoot.get(link.root) ?? byRoot.set(link.root, new Set()).get(link.root)!;
      names.add(s.subsection);
    }
    for (const [root, names] of byRoot) {
      c.report('include-remote-kept', root.entry.valueSpan ?? root.entry.span, `etc/replication/ exists, but the plugin keeps remote${names.size > 1 ? 's' : ''} ${[...names].map((n) => `'${n}'`).join(', ')} from this included file: JGit's unsetSection leaves included lines alone (the log still says "Ignoring: …"). They replicate next to the fan-out remotes.`);
    }
  }
  c.included = includedRemotes(tree);
  return tree;
}

// How the messages of load failures end (evaluate.ts, checkSyntax.ts, checkUrls.ts, …).
const LOAD_FAILS = /the plugin (does not|fails to) load/;

function errorSpan(text: string, d: Diagnostic): { start: number; end: number } {
  const idx = new LineIndex(text);
  return { start: idx.offset(d.range.start.line, d.range.start.character), end: idx.offset(d.range.end.line, d.range.end.character) };
}
