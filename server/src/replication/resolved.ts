// The file as the plugin reads it, worked out once per parse and shared by the rules: each
// section's catalog spec, the catalog key of each entry, and the sections JGit merges into
// one (section, subsection). On a 10,000-remote file every rule used to repeat these lookups
// and groupings on its own, and together they cost more than parsing. Entries are handled by
// number (see EntryTable): rules build an Entry object only for what they report.
import { findKey, findSection, FileKind, KeySpec, REPLICATION_CATALOG, SectionSpec } from '../catalog/keyCatalog';
import { firstEntryOnHeaderLine } from '../gitconfig/jgitRead';
import type { Entry, ParsedConfig, ParseSplice, Section } from '../gitconfig/parser';
import { isRemoteSection, RemoteBlock } from './remoteModel';

/**
 * Every read block of one (section, subsection), as JGit merges them. A key on the header's
 * own line is left out: JGit ignores the rest of a header line (checkSections reports it).
 */
export class ReadGroup implements RemoteBlock {
  readonly sections: Section[];
  /** Entry numbers of a merged group; null while the group is one block (first..end). */
  private merged: number[] | null = null;
  private first: number;
  private end: number;
  private list: Entry[] | undefined;
  /** Positions (in the group) of single-valued keys a later entry of the same key overrides. */
  overridden: number[] | null = null;

  constructor(
    private readonly doc: ParsedConfig,
    readonly spec: SectionSpec,
    /** The subsection JGit sees: the remote name (the file name in a fan-out file), or null. */
    readonly subsection: string | null,
    section: Section,
  ) {
    this.sections = [section];
    this.first = doc.firstEntryOf(section) + (firstEntryOnHeaderLine(doc, section) ? 1 : 0);
    this.end = doc.endEntryOf(section);
  }
  get name(): string {
    return this.subsection ?? '';
  }
  get size(): number {
    return this.merged ? this.merged.length : this.end - this.first;
  }
  /** The entry number of the group's j-th entry. */
  index(j: number): number {
    return this.merged ? this.merged[j] : this.first + j;
  }
  /** The group's entries as objects (built on first use). */
  get entries(): Entry[] {
    if (this.list === undefined) {
      this.list = [];
      for (let j = 0; j < this.size; j++) this.list.push(this.doc.entry(this.index(j)));
    }
    return this.list;
  }
  merge(section: Section): void {
    if (!this.merged) {
      this.merged = [];
      for (let i = this.first; i < this.end; i++) this.merged.push(i);
    }
    const from = this.doc.firstEntryOf(section) + (firstEntryOnHeaderLine(this.doc, section) ? 1 : 0);
    for (let i = from; i < this.doc.endEntryOf(section); i++) this.merged.push(i);
    this.sections.push(section);
    this.list = undefined;
  }
}

/** Per section (aligned with parsed.sections) and per entry (aligned with entry numbers). */
export interface ResolvedConfig {
  /** The catalog section for this file kind (none for broken and legacy headers). */
  specs: Array<SectionSpec | undefined>;
  /** The catalog key of each entry (undefined: unknown, or no section spec). */
  keys: Array<KeySpec | undefined>;
  /** The read sections grouped by identity, in order of first appearance. */
  groups: ReadGroup[];
  /** The groups that are remotes of this file kind. */
  remotes: ReadGroup[];
}

const CACHE = new WeakMap<ParsedConfig, { kind: FileKind; fanoutName?: string; resolved: ResolvedConfig }>();

export function resolveConfig(doc: ParsedConfig, kind: FileKind, fanoutName?: string): ResolvedConfig {
  const hit = CACHE.get(doc);
  if (hit && hit.kind === kind && hit.fanoutName === fanoutName) return hit.resolved;
  const resolved = resolve(doc, kind, fanoutName);
  CACHE.set(doc, { kind, fanoutName, resolved });
  return resolved;
}

function resolve(doc: ParsedConfig, kind: FileKind, fanoutName?: string): ResolvedConfig {
  // Filled by push: `new Array(n)` of over 100,000 elements would be a slow dictionary.
  const specs: Array<SectionSpec | undefined> = [];
  const keys: Array<KeySpec | undefined> = [];
  // Entries before the first header have no section; the others follow their section.
  const firstInSection = doc.sections.length ? doc.firstEntryOf(doc.sections[0]) : doc.entryCount;
  while (keys.length < firstInSection) keys.push(undefined);
  for (const s of doc.sections) {
    const spec = specOf(s, kind);
    specs.push(spec);
    pushKeys(doc, s, spec, keys);
  }
  const { groups, remotes } = groupSections(doc, specs, kind, fanoutName);
  for (const g of groups) g.overridden = overriddenIn(doc, g, keys);
  return { specs, keys, groups, remotes };
}

function specOf(s: Section, kind: FileKind): SectionSpec | undefined {
  return s.broken || s.legacy ? undefined : findSection(REPLICATION_CATALOG, s.name, kind);
}

function pushKeys(doc: ParsedConfig, s: Section, spec: SectionSpec | undefined, keys: Array<KeySpec | undefined>): void {
  const end = doc.endEntryOf(s);
  for (let i = doc.firstEntryOf(s); i < end; i++) keys.push(spec && findKey(spec, doc.keyOf(i)));
}

/** The read sections grouped by identity, in order of first appearance, and the section numbers of each. */
function groupSections(doc: ParsedConfig, specs: Array<SectionSpec | undefined>, kind: FileKind, fanoutName: string | undefined, withMembers = false) {
  const groups: ReadGroup[] = [];
  const remotes: ReadGroup[] = [];
  const members = new Map<ReadGroup, number[]>();
  // name → subsection → group. Almost every group has one block.
  const byName = new Map<string, Map<string | null, ReadGroup>>();
  for (let index = 0; index < doc.sections.length; index++) {
    const s = doc.sections[index];
    const spec = specs[index];
    if (!spec || !isRead(s, spec, kind)) continue;
    const subsection = s.name === 'remote' && kind === 'fanout' ? fanoutName ?? '' : s.subsection;
    let bySub = byName.get(spec.name);
    if (!bySub) byName.set(spec.name, (bySub = new Map()));
    const g = bySub.get(subsection);
    if (g) {
      g.merge(s);
      if (withMembers) members.get(g)!.push(index);
      continue;
    }
    const fresh = new ReadGroup(doc, spec, subsection, s);
    bySub.set(subsection, fresh);
    if (withMembers) members.set(fresh, [index]);
    groups.push(fresh);
    if (s.name === 'remote') remotes.push(fresh);
  }
  return { groups, remotes, members };
}

/**
 * The resolved view of `doc`, an edit of `prevDoc` (see reparseGitConfig), from the one of
 * `prevDoc`: only the sections the edit re-read are looked up again. `prior` maps each group
 * made of the same, unedited blocks as before to its old group. Undefined when `prevDoc` was not
 * resolved for this kind.
 */
export function resolveConfigAfter(prevDoc: ParsedConfig, doc: ParsedConfig, sp: ParseSplice, kind: FileKind, fanoutName?: string): { resolved: ResolvedConfig; prior: Map<ReadGroup, ReadGroup> } | undefined {
  const hit = CACHE.get(prevDoc);
  if (!hit || hit.kind !== kind || hit.fanoutName !== fanoutName) return undefined;
  const old = hit.resolved;
  const specs = old.specs.slice(0, sp.firstSection);
  const keys = old.keys.slice(0, sp.firstEntry);
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) {
    const s = doc.sections[i];
    const spec = specOf(s, kind);
    specs.push(spec);
    pushKeys(doc, s, spec, keys);
  }
  for (let i = sp.oldSectionEnd; i < old.specs.length; i++) specs.push(old.specs[i]);
  for (let i = sp.oldEntryEnd; i < old.keys.length; i++) keys.push(old.keys[i]);
  const { groups, remotes, members } = groupSections(doc, specs, kind, fanoutName, true);
  // The old group of each old section number.
  const oldGroupOf = new Map<Section, ReadGroup>();
  for (const g of old.groups) for (const s of g.sections) oldGroupOf.set(s, g);
  const shift = sp.newSectionEnd - sp.oldSectionEnd;
  const oldIndex = (i: number) => (i < sp.firstSection ? i : i >= sp.newSectionEnd ? i - shift : -1);
  const prior = new Map<ReadGroup, ReadGroup>();
  for (const g of groups) {
    const idx = members.get(g)!;
    const first = oldIndex(idx[0]);
    const was = first < 0 ? undefined : oldGroupOf.get(prevDoc.sections[first]);
    let same = was !== undefined && was.sections.length === idx.length;
    for (let j = 0; same && j < idx.length; j++) {
      const o = oldIndex(idx[j]);
      same = o >= 0 && was!.sections[j] === prevDoc.sections[o];
    }
    if (same) {
      prior.set(g, was!);
      g.overridden = was!.overridden;
    } else g.overridden = overriddenIn(doc, g, keys);
  }
  const resolved = { specs, keys, groups, remotes };
  CACHE.set(doc, { kind, fanoutName, resolved });
  return { resolved, prior };
}

/** The sections whose keys the plugin actually reads (a remote: see isRemoteSection). */
function isRead(s: Section, spec: SectionSpec, kind: FileKind): boolean {
  if (spec.subsection === 'none' && s.subsection !== null) return false;
  if (s.name === 'remote') return isRemoteSection(s, kind);
  return !(spec.subsection === 'required' && s.subsection === null);
}

/**
 * Positions of entries of a known single-valued key followed by another entry of the same
 * key: JGit returns the last value, so these are ignored. (List keys such as url and push
 * repeat in almost every remote and are never overridden.)
 */
function overriddenIn(doc: ParsedConfig, g: ReadGroup, keys: Array<KeySpec | undefined>): number[] | null {
  const n = g.size;
  let out: number[] | null = null;
  if (n <= 32) {
    // Small blocks: comparing interned key strings beats building a map.
    for (let j = 0; j < n; j++) {
      const i = g.index(j);
      const key = keys[i];
      if (!key || key.multi) continue;
      const k = doc.keyOf(i);
      for (let l = j + 1; l < n; l++) {
        if (doc.keyOf(g.index(l)) === k) {
          (out ??= []).push(j);
          break;
        }
      }
    }
    return out;
  }
  const last = new Map<string, number>();
  for (let j = 0; j < n; j++) last.set(doc.keyOf(g.index(j)), j);
  for (let j = 0; j < n; j++) {
    const i = g.index(j);
    const key = keys[i];
    if (key && !key.multi && last.get(doc.keyOf(i))! > j) (out ??= []).push(j);
  }
  return out;
}

export function isOverridden(g: ReadGroup, j: number): boolean {
  return g.overridden !== null && g.overridden.includes(j);
}
