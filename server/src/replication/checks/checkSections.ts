// Sections and keys against the catalog: unknown names (with did-you-mean), keys in the wrong
// file, keys the plugin never reads, duplicate remote blocks and repeated single-valued keys.
import { FileKind, findKey, KeySpec, REPLICATION_CATALOG, sectionsFor, SectionSpec } from '../../catalog/keyCatalog';
import type { Entry, ParsedConfig, ParseSplice, Section } from '../../gitconfig/parser';
import { firstEntryOnHeaderLine } from '../../gitconfig/jgitRead';
import { CheckContext, deleteLinesFix } from '../context';
import { didYouMean } from '../../service/didYouMean';
import { resolveConfig, sameHeaders, type ReadGroup } from '../resolved';
import { duplicateRemoteFixes } from './duplicateRemoteFixes';

const FILE_NAME = { replication: 'replication.config', fanout: 'a fan-out file', secure: 'secure.config' } as const;

export function headerText(s: Section): string {
  return s.subsection === null || s.legacy ? `[${s.name}${s.legacy ? '.' + s.subsection : ''}]` : `[${s.name} "${s.subsection}"]`;
}

export function checkSections(c: CheckContext): void {
  for (let index = 0; index < c.parsed.sections.length; index++) checkSection(c, index);
  checkDuplicateRemotes(c);
  for (const g of resolveConfig(c.parsed, c.kind, c.site.fanoutRemote).groups) checkRepeatedKeys(c, g);
}

/** One section's header and keys against the catalog: what it says depends on this section only. */
export function checkSection(c: CheckContext, index: number, resolved = resolveConfig(c.parsed, c.kind, c.site.fanoutRemote)): void {
  const s = c.parsed.sections[index];
  if (s.broken) return;
  const spec = resolved.specs[index];
  if (s.legacy) {
    const fixed = `[${s.name} "${s.subsection}"]`;
    c.report(
      'legacy-subsection',
      s.header,
      `JGit does not split ${headerText(s)}: it reads a section literally named '${s.name}.${s.subsection}', so the plugin never sees these keys. Write ${fixed}.`,
      { fixes: [{ title: `Rewrite as ${fixed}`, edits: [{ range: c.range(s.header), newText: fixed }], preferred: true }] },
    );
    return;
  }
  // [include] and [includeIf] are JGit's business, not the plugin's: see checkIncludes.
  if (s.name === 'include' || s.name === 'includeif') return;
  if (!spec) {
    if (c.kind === 'secure') {
      c.report('secure-other-section', s.header, `The replication plugin reads only [remote "NAME"] username and password from secure.config; ${headerText(s)} is for Gerrit or another plugin.`);
      return;
    }
    const guess = didYouMean(s.name, sectionsFor(REPLICATION_CATALOG, c.kind).map((k) => k.name));
    const fixes = guess ? [{ title: `Change to [${guess}]`, edits: [{ range: c.range(s.nameSpan), newText: guess }], preferred: true }] : undefined;
    c.report('unknown-section', s.nameSpan, `Unknown section [${s.name}]: the replication plugin ignores it.${guess ? ` Did you mean [${guess}]?` : ''}`, { fixes });
    return;
  }
  if (spec.subsection === 'none' && s.subsection !== null) {
    c.report('unknown-section', s.header, `The plugin reads [${s.name}] without a name; ${headerText(s)} is never read.`, {
      fixes: [{ title: `Change to [${s.name}]`, edits: [{ range: c.range(s.header), newText: `[${s.name}]` }] }],
    });
    return;
  }
  if (s.name === 'remote' && c.kind !== 'fanout' && s.subsection === null) {
    c.report('remote-without-name', s.header, `A bare [remote] is read only in etc/replication/NAME.config fan-out files; here JGit lists only named remotes, so this section is ignored. Write [remote "NAME"].`, {
      fixes: [{ title: 'Name the remote', edits: [{ range: c.range(s.header), newText: '[remote "name"]' }] }],
    });
    return;
  }
  if (spec.subsection === 'required' && s.subsection === null && !(c.kind === 'fanout' && s.name === 'remote')) {
    c.report('unknown-section', s.header, `[${s.name}] needs a name ([${s.name} "${spec.subsectionLabel ?? 'name'}"]); without one the plugin never reads it.`);
    return;
  }
  const prefix = s.subsection !== null ? `${spec.name}.${s.subsection}` : c.kind === 'fanout' && s.name === 'remote' ? `remote.${c.site.fanoutRemote}` : spec.name;
  const end = c.parsed.endEntryOf(s);
  let from = c.parsed.firstEntryOf(s);
  if (firstEntryOnHeaderLine(c.parsed, s)) {
    const e = c.parsed.entry(from++);
    // secure.config's values are credentials (and with lone-CR line ends JGit reads the rest of
    // the file as this one line): quote the key only there, and for a password anywhere.
    const written = c.kind === 'secure' || /^password$/i.test(e.rawKey) ? `${e.rawKey} = …` : c.parsed.text.slice(e.span.start, e.span.end);
    c.report('header-trailing-text', e.span, `JGit ignores everything after the ']' of a section header, so the plugin never reads '${written}' (git reads it as ${prefix}.${e.rawKey}). Put it on a line of its own.`, {
      fixes: [{ title: 'Move it to a line of its own', edits: [{ range: c.range({ start: s.header.end, end: e.span.start }), newText: '\n' }] }],
    });
  }
  for (let i = from; i < end; i++) {
    const key = resolved.keys[i];
    if (key && isQuiet(key, c.kind)) continue; // the common case: build no Entry object
    checkKey(c, spec, c.parsed.entry(i), key, prefix);
  }
}

/** A known key that checkKey has nothing to say about. */
function isQuiet(key: KeySpec, kind: FileKind): boolean {
  return (!key.files || key.files.includes(kind)) && !key.unused && !(key.onlyOn && key.onlyOn !== 'master');
}

function checkKey(c: CheckContext, spec: SectionSpec, e: Entry, key: KeySpec | undefined, prefix: string): void {
  if (!key) {
    // A key of the same section in another file kind?
    const elsewhere = REPLICATION_CATALOG.sections.find((o) => o !== spec && o.name === spec.name && findKey(o, e.key));
    if (elsewhere) {
      const where = elsewhere.files.includes('secure') ? 'secure.config' : 'replication.config (or a fan-out file)';
      const why = elsewhere.files.includes('secure') ? ' Credentials here are never used, and this file is often readable by more people than secure.config.' : '';
      c.report('misplaced-key', e.keySpan, `${prefix}.${e.rawKey} belongs in ${where}; the plugin does not read it from ${FILE_NAME[c.kind]}.${why}`);
      return;
    }
    const guess = didYouMean(e.key, spec.keys.map((k) => k.name));
    const fixes = guess ? [{ title: `Change to ${guess}`, edits: [{ range: c.range(e.keySpan), newText: guess }], preferred: true }] : undefined;
    c.report('unknown-key', e.keySpan, `Unknown key ${prefix}.${e.rawKey}: the plugin ignores it.${guess ? ` Did you mean ${guess}?` : ''}`, { fixes });
    return;
  }
  if (key.files && !key.files.includes(c.kind)) {
    c.report('key-not-read-here', e.keySpan, `${prefix}.${key.name} is read only from ${key.files.map((f) => FILE_NAME[f]).join(', ')}; here it has no effect.`, {
      fixes: [deleteLinesFix(c, e.span, `Remove ${key.name}`)],
    });
  }
  if (key.unused) {
    c.report('unused-key', e.keySpan, `JGit parses ${prefix}.${key.name}, but the plugin never uses it${spec.name === 'remote' ? ': pushes go to url' : ''}.`, {
      fixes: [deleteLinesFix(c, e.span, `Remove ${key.name}`)],
    });
  } else if (key.onlyOn && key.onlyOn !== 'master') {
    // Keys new on master are simply new; a key only a release branch reads is a trap.
    c.report('branch-only-key', e.keySpan, `${prefix}.${key.name} is read only by the plugin on ${key.onlyOn}; other versions ignore it.`);
  }
}


/** The duplicate remote blocks of each parse: per finding the section numbers of the first block, the previous one and this one. */
const DUPLICATES = new WeakMap<ParsedConfig, readonly number[]>();

/** How the duplicate check found its blocks: by reading every header, or carried over from the version before (tests). */
export const duplicateStats = { scanned: 0, carried: 0 };

/**
 * A named remote block again: JGit merges it (in a fan-out file a second [remote] already
 * makes the plugin skip the whole file, which checkFanout reports). Which blocks repeat depends
 * on the headers alone, so after an edit that re-read the same headers (`before`: the version
 * it edited) they are the old ones, and only their findings are worked out again.
 */
export function checkDuplicateRemotes(c: CheckContext, before?: { parsed: ParsedConfig; splice: ParseSplice }): void {
  const found = duplicateBlocks(c.parsed, before);
  const sections = c.parsed.sections;
  for (let k = 0; k < found.length; k += 3) {
    const [first, prev, s] = [sections[found[k]], sections[found[k + 1]], sections[found[k + 2]]];
    c.report(
      'duplicate-remote',
      s.header,
      `${headerText(s)} appears again: JGit merges the blocks, so list keys (url, push, projects…) add up and single-valued keys take the last value.`,
      { related: [{ span: first.header, message: `first ${headerText(first)}` }], fixes: duplicateRemoteFixes(c, prev, s) },
    );
  }
}

function duplicateBlocks(parsed: ParsedConfig, before: { parsed: ParsedConfig; splice: ParseSplice } | undefined): readonly number[] {
  let found = DUPLICATES.get(parsed);
  if (found) return found;
  const old = before && DUPLICATES.get(before.parsed);
  if (old && sameHeaders(before.parsed, parsed, before.splice)) {
    duplicateStats.carried++;
    found = old;
  } else {
    duplicateStats.scanned++;
    found = scanDuplicates(parsed.sections);
  }
  DUPLICATES.set(parsed, found);
  return found;
}

function scanDuplicates(sections: Section[]): number[] {
  const out: number[] = [];
  const firstRemote = new Map<string, number>();
  const lastRemote = new Map<string, number>();
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i];
    if (s.broken || s.legacy || s.name !== 'remote' || s.subsection === null) continue;
    const first = firstRemote.get(s.subsection);
    const prev = lastRemote.get(s.subsection);
    lastRemote.set(s.subsection, i);
    if (first === undefined || prev === undefined) {
      firstRemote.set(s.subsection, i);
      continue;
    }
    out.push(first, prev, i);
  }
  return out;
}

/** Repeated single-valued keys, across every block of one group the plugin merges. */
export function checkRepeatedKeys(c: CheckContext, g: ReadGroup, resolved = resolveConfig(c.parsed, c.kind, c.site.fanoutRemote)): void {
  if (g.overridden === null) return;
  for (const j of g.overridden ?? []) {
    const key = resolved.keys[g.index(j)];
    if (!key || key.multi) continue;
    const e = g.entries[j];
    const same = g.entries.filter((x) => x.key === e.key);
    const winner = same[same.length - 1];
    const shown = winner.value === null ? 'true (no value)' : key.type === 'secret' ? 'not shown' : `'${winner.value}'`;
    c.report('repeated-key', e.span, `${key.name} is set ${same.length} times; the last value (${shown}) wins and this one is ignored.`, {
      related: [{ span: winner.span, message: `the value in effect` }],
      fixes: [deleteLinesFix(c, e.span, `Remove this overridden ${key.name}`)],
    });
  }
}
