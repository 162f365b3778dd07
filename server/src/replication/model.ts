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
    b.entries.push(...s.entries);
  }
  return [...byName.values()];
}

/** Entries of one key (case-insensitive), in file order. */
export function entriesFor(entries: Entry[], key: string): Entry[] {
  const k = key.toLowerCase();
  return entries.filter((e) => e.key === k);
}

/** The entry whose value JGit returns for a single-valued key: the last one. */
export function lastEntry(entries: Entry[], key: string): Entry | undefined {
  const k = key.toLowerCase();
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === k) return entries[i];
  return undefined;
}

/** Entries of a plain section (`[gerrit]`, `[replication]`) across all its blocks. */
export function sectionEntries(doc: ConfigDocument, name: string): Entry[] {
  return doc.entries.filter((e) => e.section && e.section.name === name && e.section.subsection === null && !e.section.broken);
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
