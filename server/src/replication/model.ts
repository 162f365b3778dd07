// The replication view of a parsed git-config file: which sections make up which remote.
// In replication.config and secure.config a remote is `[remote "NAME"]` (blocks with the same
// name merge); in a fan-out file it is the bare `[remote]` and the file name is its name.
import type { ConfigDocument, Entry, Section } from '../gitconfig/parser';
import { FileKind, findSection, REPLICATION_CATALOG, SectionSpec } from '../catalog/catalog';

export interface RemoteBlock {
  name: string;
  /** Every section that contributes to this remote, in file order. */
  sections: Section[];
  entries: Entry[];
}

/** Whether JGit sees this section as part of a remote of this file kind. */
export function isRemoteSection(s: Section, kind: FileKind): boolean {
  if (s.name !== 'remote' || s.broken || s.legacy) return false;
  return kind === 'fanout' ? s.subsection === null : s.subsection !== null;
}

export function remoteBlocks(doc: ConfigDocument, kind: FileKind, fanoutName?: string): RemoteBlock[] {
  const byName = new Map<string, RemoteBlock>();
  for (const s of doc.sections) {
    if (!isRemoteSection(s, kind)) continue;
    const name = kind === 'fanout' ? fanoutName ?? '' : s.subsection!;
    let b = byName.get(name);
    if (!b) byName.set(name, (b = { name, sections: [], entries: [] }));
    b.sections.push(s);
    // Almost every remote is one block: share its entry array instead of copying it.
    if (b.sections.length === 1) b.entries = s.entries;
    else b.entries = b.entries.concat(s.entries);
  }
  return [...byName.values()];
}

/** Entries of one key (case-insensitive), in file order. */
export function entriesFor(entries: Entry[], key: string): Entry[] {
  const k = key.toLowerCase();
  return entries.filter((e) => e.key === k);
}

/** Whether any entry has this key (lower-case), without building an array. */
export function hasEntry(entries: Entry[], lowerKey: string): boolean {
  for (const e of entries) if (e.key === lowerKey) return true;
  return false;
}

/** The entry whose value JGit returns for a single-valued key: the last one. */
export function lastEntry(entries: Entry[], key: string): Entry | undefined {
  const k = key.toLowerCase();
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === k) return entries[i];
  return undefined;
}

/** Entries of a plain section (`[gerrit]`, `[replication]`) across all its blocks. */
export function sectionEntries(doc: ConfigDocument, name: string): Entry[] {
  // Walk the sections, not every entry of the file: section entries are in file order too.
  const out: Entry[] = [];
  for (const s of doc.sections) {
    if (s.name === name && s.subsection === null && !s.broken) for (const e of s.entries) out.push(e);
  }
  return out;
}

/** A section the plugin actually reads, with its catalog spec and the remote name it stands for. */
export interface ReadSection {
  section: Section;
  spec: SectionSpec;
  /** The subsection JGit sees: the remote name (file name for fan-out files), or null. */
  subsection: string | null;
}

export function readSections(doc: ConfigDocument, kind: FileKind, fanoutName?: string): ReadSection[] {
  const out: ReadSection[] = [];
  for (const s of doc.sections) {
    if (s.broken || s.legacy) continue;
    const spec = findSection(REPLICATION_CATALOG, s.name, kind);
    if (!spec) continue;
    if (spec.subsection === 'none' && s.subsection !== null) continue;
    if (s.name === 'remote') {
      if (!isRemoteSection(s, kind)) continue;
      out.push({ section: s, spec, subsection: kind === 'fanout' ? fanoutName ?? '' : s.subsection });
      continue;
    }
    if (spec.subsection === 'required' && s.subsection === null) continue;
    out.push({ section: s, spec, subsection: s.subsection });
  }
  return out;
}

/**
 * Items grouped by identity, in order of first appearance. Almost every section is unique, so
 * the first pass only counts and unique items become one-element groups.
 */
export function groupByIdentity<T>(items: T[], idOf: (t: T) => string): T[][] {
  const ids = items.map(idOf);
  const count = new Map<string, number>();
  for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
  const out: T[][] = [];
  const multi = new Map<string, T[]>();
  items.forEach((t, i) => {
    if (count.get(ids[i]) === 1) return void out.push([t]);
    const g = multi.get(ids[i]);
    if (g) g.push(t);
    else {
      const fresh = [t];
      multi.set(ids[i], fresh);
      out.push(fresh);
    }
  });
  return out;
}

/**
 * Items grouped by (name, subsection), in order of first appearance, without building a
 * string key per item (large files have one section per remote).
 */
export function groupBySection<T>(items: T[], nameOf: (t: T) => string, subOf: (t: T) => string | null): T[][] {
  const byName = new Map<string, Map<string | null, T[]>>();
  const out: T[][] = [];
  for (const t of items) {
    const n = nameOf(t);
    let bySub = byName.get(n);
    if (!bySub) byName.set(n, (bySub = new Map()));
    const sub = subOf(t);
    const g = bySub.get(sub);
    if (g) g.push(t);
    else {
      const fresh = [t];
      bySub.set(sub, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/** For each index, whether a later entry has the same key (for single-valued keys, the later wins). */
export function overriddenAt(entries: Entry[]): (i: number) => boolean {
  if (entries.length <= 32) {
    return (i) => {
      const k = entries[i].key;
      for (let j = i + 1; j < entries.length; j++) if (entries[j].key === k) return true;
      return false;
    };
  }
  const last = new Map<string, number>();
  entries.forEach((e, i) => last.set(e.key, i));
  return (i) => last.get(entries[i].key)! > i;
}
