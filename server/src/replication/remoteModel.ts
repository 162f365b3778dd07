// The replication view of a parsed git-config file: which sections make up which remote.
// In replication.config and secure.config a remote is `[remote "NAME"]` (blocks with the same
// name merge); in a fan-out file it is the bare `[remote]` and the file name is its name.
import type { ConfigDocument, Entry, Section } from '../gitconfig/parser';
import type { FileKind } from '../catalog/keyCatalog';

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
  // Walk the sections, not every entry of the file: section entries are in file order too.
  const out: Entry[] = [];
  for (const s of doc.sections) {
    if (s.name === name && s.subsection === null && !s.broken) for (const e of s.entries) out.push(e);
  }
  return out;
}
