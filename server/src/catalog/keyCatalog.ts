// Typed access to the key catalogs in schemas/. Everything the tools say about a key
// (validation, completion, hover, the README reference) is read from here.
import replicationCatalog from '../../../schemas/replication.catalog.json';

export type KeyType =
  | 'bool' | 'int' | 'duration' | 'string' | 'url' | 'refspec' | 'projectPattern' | 'regex' | 'enum' | 'path' | 'group' | 'secret';

export type FileKind = 'replication' | 'fanout' | 'secure';

export interface KeySpec {
  name: string;
  /** How the plugin's code spells the key (JGit prints it in exceptions); defaults to name. */
  codeName?: string;
  /** File kinds that read this key, when narrower than its section's. */
  files?: FileKind[];
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

/** The section spec for `name`; with `kind`, only sections that file kind may hold. */
export function findSection(cat: GitConfigCatalog, name: string, kind?: FileKind): SectionSpec | undefined {
  let index = SECTION_INDEX.get(cat);
  if (!index) {
    index = new Map();
    for (const s of cat.sections) {
      const n = s.name.toLowerCase();
      const list = index.get(n);
      if (list) list.push(s);
      else index.set(n, [s]);
    }
    SECTION_INDEX.set(cat, index);
  }
  const list = index.get(name) ?? index.get(name.toLowerCase());
  if (!list) return undefined;
  if (kind === undefined) return list[0];
  for (const s of list) if (s.files.includes(kind)) return s;
  return undefined;
}

// Sections by lower-cased name, in catalog order: looked up once per section of large files.
const SECTION_INDEX = new WeakMap<GitConfigCatalog, Map<string, SectionSpec[]>>();

/** The sections a file kind may hold, in catalog order. */
export function sectionsFor(cat: GitConfigCatalog, kind: FileKind): SectionSpec[] {
  return cat.sections.filter((s) => s.files.includes(kind));
}

// Lookups run for every entry of large files: index each section's keys once.
const KEY_INDEX = new WeakMap<SectionSpec, Map<string, KeySpec>>();

let lastSection: SectionSpec | undefined;
let lastIndex: Map<string, KeySpec> | undefined;

export function findKey(section: SectionSpec, key: string): KeySpec | undefined {
  // Consecutive lookups are almost always in the same section: skip the WeakMap then.
  let index = section === lastSection ? lastIndex : KEY_INDEX.get(section);
  if (!index) {
    index = new Map(section.keys.map((k) => [k.name.toLowerCase(), k]));
    KEY_INDEX.set(section, index);
  }
  lastSection = section;
  lastIndex = index;
  return index.get(key) ?? index.get(key.toLowerCase());
}

/** The key name as JGit prints it in "Invalid integer value: section.KEY=value". */
export function codeName(key: KeySpec): string {
  return key.codeName ?? key.name;
}

/** The default as a reader sees it: a literal, or the key it inherits from. */
export function defaultText(key: KeySpec): string | undefined {
  if (key.defaultText !== undefined) return key.defaultText;
  if (key.default === undefined) return undefined;
  return String(key.default);
}
