// The file as the plugin reads it, worked out once per parse and shared by the rules: each
// section's catalog spec, the catalog key of each entry, and the sections JGit merges into
// one (section, subsection). Done by each rule on its own, these lookups and groupings would
// cost more than the parse on a big file. Entries are handled by number (see EntryTable):
// rules build an Entry object only for what they report.
import { findKey, findSection, FileKind, KeySpec, REPLICATION_CATALOG, SectionSpec } from '../catalog/keyCatalog';
import { firstEntryOnHeaderLine } from '../gitconfig/jgitRead';
import type { Entry, ParsedConfig, ParseSplice, Section } from '../gitconfig/parser';
import { isRemoteSection, RemoteBlock } from './remoteModel';

/**
 * Every read block of one (section, subsection), as JGit merges them. A key on the header's
 * own line is left out: JGit ignores the rest of a header line (checkSections reports it).
 */
export class ReadGroup implements RemoteBlock {
  /** Section numbers of the blocks after the first (merged groups only, which are rare). */
  private more: number[] | null = null;
  // Worked out on first use: after an edit most groups are only carried over, never read, so
  // a carried group costs one small object (see resolveConfigAfter).
  private read: GroupEntries | undefined;
  /** Positions (in the group) of single-valued keys a later entry of the same key overrides. */
  overridden: number[] | null = null;
  /** Position in ResolvedConfig.groups. */
  id = -1;

  constructor(
    private readonly doc: ParsedConfig,
    readonly spec: SectionSpec,
    /** The subsection JGit sees: the remote name (the file name in a fan-out file), or null. */
    readonly subsection: string | null,
    /** The section number of the first block. */
    readonly at: number,
  ) {}
  get name(): string {
    return this.subsection ?? '';
  }
  /** Every section that contributes to this group, in file order. */
  get sections(): Section[] {
    const r = this.entriesRead();
    if (r.blocks === undefined) {
      r.blocks = [this.doc.sections[this.at]];
      if (this.more) for (const i of this.more) r.blocks.push(this.doc.sections[i]);
    }
    return r.blocks;
  }
  /** The section numbers of the blocks, in file order. */
  blockCount(): number {
    return this.more ? 1 + this.more.length : 1;
  }
  block(j: number): number {
    return j === 0 ? this.at : this.more![j - 1];
  }
  get size(): number {
    const r = this.entriesRead();
    return r.merged ? r.merged.length : r.end - r.first;
  }
  /** The entry number of the group's j-th entry. */
  index(j: number): number {
    const r = this.entriesRead();
    return r.merged ? r.merged[j] : r.first + j;
  }
  /** The group's entries as objects (built on first use). */
  get entries(): Entry[] {
    const r = this.entriesRead();
    if (r.list === undefined) {
      r.list = [];
      for (let j = 0; j < this.size; j++) r.list.push(this.doc.entry(this.index(j)));
    }
    return r.list;
  }
  /** Another block of the same (section, subsection), later in the file. */
  merge(index: number): void {
    (this.more ??= []).push(index);
    this.read = undefined;
  }
  /** The same group of blocks in `doc`, an edit of this one's parse that moved its sections by `shift`. */
  carried(doc: ParsedConfig, shift: number): ReadGroup {
    const g = new ReadGroup(doc, this.spec, this.subsection, this.at + shift);
    if (this.more) g.more = shift === 0 ? this.more : this.more.map((i) => i + shift);
    return g;
  }
  /** The entry numbers: a key on a header's own line is left out (JGit ignores it). */
  private entriesRead(): GroupEntries {
    // The work is in another method: a closure in this one would make V8 allocate its
    // context on every call, and size and index call this once per entry a rule reads.
    return this.read ?? this.readEntries();
  }
  private readEntries(): GroupEntries {
    const from = (s: Section) => this.doc.firstEntryOf(s) + (firstEntryOnHeaderLine(this.doc, s) ? 1 : 0);
    const s0 = this.doc.sections[this.at];
    const r: GroupEntries = { first: from(s0), end: this.doc.endEntryOf(s0), merged: null, blocks: undefined, list: undefined };
    if (this.more) {
      const merged: number[] = [];
      for (let i = r.first; i < r.end; i++) merged.push(i);
      for (const k of this.more) {
        const s = this.doc.sections[k];
        for (let i = from(s); i < this.doc.endEntryOf(s); i++) merged.push(i);
      }
      r.merged = merged;
    }
    return (this.read = r);
  }
}

/** A group's entries, once asked for: one block first..end, or the entry numbers of merged blocks. */
interface GroupEntries {
  first: number;
  end: number;
  merged: number[] | null;
  blocks: Section[] | undefined;
  list: Entry[] | undefined;
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

/** The read sections grouped by identity, in order of first appearance. */
function groupSections(doc: ParsedConfig, specs: Array<SectionSpec | undefined>, kind: FileKind, fanoutName: string | undefined) {
  const groups: ReadGroup[] = [];
  const remotes: ReadGroup[] = [];
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
      g.merge(index);
      continue;
    }
    const fresh = new ReadGroup(doc, spec, subsection, index);
    fresh.id = groups.length;
    bySub.set(subsection, fresh);
    groups.push(fresh);
    if (s.name === 'remote') remotes.push(fresh);
  }
  return { groups, remotes };
}

/** The old group of each group of `doc` made of the same, unedited blocks (see resolveConfigAfter). */
export interface PriorGroups {
  get(g: ReadGroup): ReadGroup | undefined;
}

/** Whether two sections read alike for grouping: the same header as far as specs and groups go. */
function sameHeader(a: Section, b: Section): boolean {
  return a.name === b.name && a.subsection === b.subsection && a.broken === b.broken && a.legacy === b.legacy;
}

/**
 * Whether an edit (see reparseGitConfig) re-read the same headers as before: as many sections,
 * each with the same name, subsection and state. Then every section keeps its number, spec and
 * group, and only the groups with a re-read block need looking at.
 */
export function sameHeaders(prevDoc: ParsedConfig, doc: ParsedConfig, sp: ParseSplice): boolean {
  if (sp.newSectionEnd !== sp.oldSectionEnd) return false;
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) if (!sameHeader(prevDoc.sections[i], doc.sections[i])) return false;
  return true;
}

/** How the resolved views after edits were made: groups carried over, or sections grouped anew (tests). */
export const resolveStats = { carried: 0, regrouped: 0 };

/**
 * The resolved view of `doc`, an edit of `prevDoc` (see reparseGitConfig), from the one of
 * `prevDoc`: only the sections the edit re-read are looked up again. `prior` gives each group
 * made of the same, unedited blocks as before its old group. Undefined when `prevDoc` was not
 * resolved for this kind. An edit that keeps the headers (typing in a value or a key) allocates
 * one small object per group and shares the per-section and, when the keys are unchanged, the
 * per-entry arrays with the version before, so its garbage does not grow with the file.
 */
export function resolveConfigAfter(prevDoc: ParsedConfig, doc: ParsedConfig, sp: ParseSplice, kind: FileKind, fanoutName?: string): { resolved: ResolvedConfig; prior: PriorGroups } | undefined {
  const hit = CACHE.get(prevDoc);
  if (!hit || hit.kind !== kind || hit.fanoutName !== fanoutName) return undefined;
  const old = hit.resolved;
  const same = sameHeaders(prevDoc, doc, sp);
  if (same) resolveStats.carried++;
  else resolveStats.regrouped++;
  const resolved = same ? carryGroups(old, doc, sp) : regroup(old, prevDoc, doc, sp, kind, fanoutName);
  CACHE.set(doc, { kind, fanoutName, resolved: resolved.resolved });
  return resolved;
}

/** The keys of entries [sp.firstEntry, sp.newEntryEnd) looked up again; the others are the old ones moved. */
function keysAfter(old: ResolvedConfig, doc: ParsedConfig, sp: ParseSplice, specs: Array<SectionSpec | undefined>): Array<KeySpec | undefined> {
  const fresh: Array<KeySpec | undefined> = [];
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) pushKeys(doc, doc.sections[i], specs[i], fresh);
  if (sp.newEntryEnd === sp.oldEntryEnd) {
    let same = true;
    for (let j = 0; same && j < fresh.length; j++) same = fresh[j] === old.keys[sp.firstEntry + j];
    if (same) return old.keys; // never written to after resolve: safe to share
  }
  const keys = old.keys.slice(0, sp.firstEntry);
  for (const k of fresh) keys.push(k);
  for (let i = sp.oldEntryEnd; i < old.keys.length; i++) keys.push(old.keys[i]);
  return keys;
}

/** Same headers: every group is the old one's blocks at the same numbers. */
function carryGroups(old: ResolvedConfig, doc: ParsedConfig, sp: ParseSplice): { resolved: ResolvedConfig; prior: PriorGroups } {
  const specs = old.specs;
  const keys = keysAfter(old, doc, sp, specs);
  // The groups with a re-read block (one, as a rule): they are looked at again.
  const edited: number[] = [];
  // Arrays of exactly the old sizes (map): growing them by push would copy them twice over.
  const groups = old.groups.map((o) => {
    const g = o.carried(doc, 0);
    g.id = o.id;
    let touched = false;
    for (let j = 0; !touched && j < o.blockCount(); j++) touched = o.block(j) >= sp.firstSection && o.block(j) < sp.newSectionEnd;
    if (touched) {
      edited.push(g.id);
      g.overridden = overriddenIn(doc, g, keys);
    } else g.overridden = o.overridden;
    return g;
  });
  const remotes = old.remotes.map((r) => groups[r.id]);
  const prior = { get: (g: ReadGroup) => (groups[g.id] === g && !edited.includes(g.id) ? old.groups[g.id] : undefined) };
  return { resolved: { specs, keys, groups, remotes }, prior };
}

/** Headers changed: the sections are grouped anew, and a group made of the same blocks as an old one is that one. */
function regroup(old: ResolvedConfig, prevDoc: ParsedConfig, doc: ParsedConfig, sp: ParseSplice, kind: FileKind, fanoutName: string | undefined): { resolved: ResolvedConfig; prior: PriorGroups } {
  const specs = old.specs.slice(0, sp.firstSection);
  for (let i = sp.firstSection; i < sp.newSectionEnd; i++) specs.push(specOf(doc.sections[i], kind));
  for (let i = sp.oldSectionEnd; i < old.specs.length; i++) specs.push(old.specs[i]);
  const keys = keysAfter(old, doc, sp, specs);
  const { groups, remotes } = groupSections(doc, specs, kind, fanoutName);
  // The old group of each old section number.
  const oldGroupOf = new Int32Array(prevDoc.sections.length).fill(-1);
  for (const g of old.groups) for (let j = 0; j < g.blockCount(); j++) oldGroupOf[g.block(j)] = g.id;
  const shift = sp.newSectionEnd - sp.oldSectionEnd;
  const oldIndex = (i: number) => (i < sp.firstSection ? i : i >= sp.newSectionEnd ? i - shift : -1);
  const was: Array<ReadGroup | undefined> = [];
  for (const g of groups) {
    const first = oldIndex(g.at);
    const o = first < 0 || oldGroupOf[first] < 0 ? undefined : old.groups[oldGroupOf[first]];
    let same = o !== undefined && o.blockCount() === g.blockCount();
    for (let j = 0; same && j < g.blockCount(); j++) same = oldIndex(g.block(j)) === o!.block(j);
    if (same) {
      was.push(o);
      g.overridden = o!.overridden;
    } else {
      was.push(undefined);
      g.overridden = overriddenIn(doc, g, keys);
    }
  }
  return { resolved: { specs, keys, groups, remotes }, prior: { get: (g) => (groups[g.id] === g ? was[g.id] : undefined) } };
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
