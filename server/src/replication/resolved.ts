// The file as the plugin reads it, worked out once per parse and shared by the rules: each
// section's catalog spec and the catalog key of each of its entries, and the sections JGit
// merges into one (section, subsection). On a 10,000-remote file every rule used to repeat
// these lookups and groupings on its own, and together they cost more than parsing.
import { findKey, findSection, FileKind, KeySpec, REPLICATION_CATALOG, SectionSpec } from '../catalog/catalog';
import type { ConfigDocument, Entry, Section } from '../gitconfig/parser';
import { isRemoteSection, RemoteBlock } from './model';

/** Every read block of one (section, subsection), as JGit merges them. */
export interface ReadGroup extends RemoteBlock {
  spec: SectionSpec;
  /** The subsection JGit sees: the remote name (the file name in a fan-out file), or null. */
  subsection: string | null;
  /** The catalog key of entries[i] is keys[keyStart + i]. */
  keys: Array<KeySpec | undefined>;
  keyStart: number;
  /** Entries of single-valued keys that a later entry of the same key overrides, or null. */
  overridden: number[] | null;
}

/**
 * Per section (aligned with parsed.sections) and per entry (aligned with parsed.entries), in
 * flat arrays rather than an object per section: on big files these live through the whole
 * validation, and fewer small objects means less garbage-collection work.
 */
export interface ResolvedConfig {
  /** The catalog section for this file kind (none for broken and legacy headers). */
  specs: Array<SectionSpec | undefined>;
  /** The plugin reads the section's keys (see readSections in model.ts): 1, else 0. */
  read: Uint8Array;
  /** The catalog key of each entry of the file (undefined: unknown, or no section spec). */
  keys: Array<KeySpec | undefined>;
  /** Where each section's first entry is in `keys`. */
  keyStart: Int32Array;
  /** The read sections grouped by identity, in order of first appearance. */
  groups: ReadGroup[];
  /** The groups that are remotes of this file kind. */
  remotes: ReadGroup[];
}

const CACHE = new WeakMap<ConfigDocument, { kind: FileKind; fanoutName?: string; resolved: ResolvedConfig }>();

export function resolveConfig(doc: ConfigDocument, kind: FileKind, fanoutName?: string): ResolvedConfig {
  const hit = CACHE.get(doc);
  if (hit && hit.kind === kind && hit.fanoutName === fanoutName) return hit.resolved;
  const resolved = resolve(doc, kind, fanoutName);
  CACHE.set(doc, { kind, fanoutName, resolved });
  return resolved;
}

function resolve(doc: ConfigDocument, kind: FileKind, fanoutName?: string): ResolvedConfig {
  const n = doc.sections.length;
  const specs: Array<SectionSpec | undefined> = [];
  const read = new Uint8Array(n);
  // Filled by push: `new Array(n)` of over 100,000 elements would be a slow dictionary.
  const keys: Array<KeySpec | undefined> = [];
  const keyStart = new Int32Array(n);
  const groups: ReadGroup[] = [];
  const remotes: ReadGroup[] = [];
  // name → subsection → group. Almost every group has one block.
  const byName = new Map<string, Map<string | null, ReadGroup>>();
  // Entries before the first header have no section; after it, each section's entries follow
  // each other in parsed.entries.
  while (keys.length < doc.entries.length && doc.entries[keys.length].section === null) keys.push(undefined);
  for (let i = 0; i < n; i++) {
    const s = doc.sections[i];
    keyStart[i] = keys.length;
    const spec = s.broken || s.legacy ? undefined : findSection(REPLICATION_CATALOG, s.name, kind);
    specs.push(spec);
    for (const e of s.entries) keys.push(spec && findKey(spec, e.key));
    if (!spec || !isRead(s, spec, kind)) continue;
    read[i] = 1;
    const subsection = s.name === 'remote' && kind === 'fanout' ? fanoutName ?? '' : s.subsection;
    let bySub = byName.get(spec.name);
    if (!bySub) byName.set(spec.name, (bySub = new Map()));
    const g = bySub.get(subsection);
    if (g) {
      // Merged blocks: their own copy of entries and keys, side by side.
      g.keys = g.keys.slice(g.keyStart, g.keyStart + g.entries.length).concat(keys.slice(keyStart[i]));
      g.keyStart = 0;
      g.sections.push(s);
      g.entries = g.entries.concat(s.entries);
      continue;
    }
    const fresh: ReadGroup = { name: subsection ?? '', spec, subsection, sections: [s], entries: s.entries, keys, keyStart: keyStart[i], overridden: null };
    bySub.set(subsection, fresh);
    groups.push(fresh);
    if (s.name === 'remote') remotes.push(fresh);
  }
  for (const g of groups) g.overridden = overriddenIn(g);
  return { specs, read, keys, keyStart, groups, remotes };
}

/** The catalog key of entry i of a group. */
export function keyAt(g: ReadGroup, i: number): KeySpec | undefined {
  return g.keys[g.keyStart + i];
}

/** Mirrors readSections: the sections whose keys the plugin actually reads. */
function isRead(s: Section, spec: SectionSpec, kind: FileKind): boolean {
  if (spec.subsection === 'none' && s.subsection !== null) return false;
  if (s.name === 'remote') return isRemoteSection(s, kind);
  return !(spec.subsection === 'required' && s.subsection === null);
}

function keysOf(spec: SectionSpec, entries: Entry[]): Array<KeySpec | undefined> {
  const keys = new Array<KeySpec | undefined>(entries.length);
  for (let i = 0; i < entries.length; i++) keys[i] = findKey(spec, entries[i].key);
  return keys;
}

/**
 * Entries of a known single-valued key followed by another entry of the same key: JGit
 * returns the last value, so these are ignored. (List keys such as url and push repeat in
 * almost every remote and are never overridden.)
 */
function overriddenIn(g: ReadGroup): number[] | null {
  const { entries } = g;
  let out: number[] | null = null;
  if (entries.length <= 32) {
    // Small blocks: comparing interned key strings beats building a map.
    for (let i = 0; i < entries.length; i++) {
      const key = keyAt(g, i);
      if (!key || key.multi) continue;
      const k = entries[i].key;
      for (let j = i + 1; j < entries.length; j++) {
        if (entries[j].key === k) {
          (out ??= []).push(i);
          break;
        }
      }
    }
    return out;
  }
  const last = new Map<string, number>();
  entries.forEach((e, i) => last.set(e.key, i));
  entries.forEach((e, i) => {
    const key = keyAt(g, i);
    if (key && !key.multi && last.get(e.key)! > i) (out ??= []).push(i);
  });
  return out;
}

export function isOverridden(g: ReadGroup, i: number): boolean {
  return g.overridden !== null && g.overridden.includes(i);
}
