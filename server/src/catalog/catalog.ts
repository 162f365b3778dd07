// Typed access to the key catalogs in schemas/. Everything the tools say about a key
// (validation, completion, hover, the README reference) is read from here.
import replicationCatalog from '../../../schemas/replication.catalog.json';

export type KeyType =
  | 'bool' | 'int' | 'duration' | 'string' | 'url' | 'refspec' | 'projectPattern' | 'regex' | 'enum' | 'path' | 'group' | 'secret';

export type FileKind = 'replication' | 'fanout' | 'secure';

export interface KeySpec {
  name: string;
  type: KeyType;
  doc: string;
  default?: unknown;
  defaultText?: string;
  unit?: string;
  floor?: number;
  negative?: string;
  multi?: boolean;
  enum?: string[];
  enumCaseSensitive?: boolean;
  since?: string;
  onlyOn?: string;
  unused?: boolean;
  example?: string;
  source?: string;
}

export interface SectionSpec {
  name: string;
  subsection: 'none' | 'required' | 'optional';
  subsectionLabel?: string;
  doc: string;
  files: FileKind[];
  keys: KeySpec[];
}

export interface GitConfigCatalog {
  format: 'gitconfig';
  description?: string;
  sections: SectionSpec[];
}

export const REPLICATION_CATALOG = replicationCatalog as unknown as GitConfigCatalog;

export function findSection(cat: GitConfigCatalog, name: string): SectionSpec | undefined {
  const n = name.toLowerCase();
  return cat.sections.find((s) => s.name.toLowerCase() === n);
}

export function findKey(section: SectionSpec, key: string): KeySpec | undefined {
  const k = key.toLowerCase();
  return section.keys.find((x) => x.name.toLowerCase() === k);
}
