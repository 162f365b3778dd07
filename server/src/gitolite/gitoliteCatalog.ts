// Typed access to schemas/gitolite.catalog.json: completion and hover read it.
import data from '../../../schemas/gitolite.catalog.json';

export interface GitoliteEntry { name: string; doc: string; example?: string; dialect?: 'v2' | 'v3' | 'both'; since?: string; values?: string; source?: string }

export interface GitoliteCatalog {
  permissions: GitoliteEntry[];
  keywords: GitoliteEntry[];
  options: GitoliteEntry[];
  rcKeys: GitoliteEntry[];
  enableNames: GitoliteEntry[];
}

export const GITOLITE_CATALOG = (data as unknown as { gitolite: GitoliteCatalog }).gitolite;

export function entryMarkdown(e: GitoliteEntry, title = e.name): string {
  const meta = [e.dialect && e.dialect !== 'both' ? `gitolite ${e.dialect}` : '', e.since ? `since ${e.since}` : '', e.values ? `value: ${e.values}` : ''].filter(Boolean).join(' · ');
  return `**${title}**${meta ? `  \n_${meta}_` : ''}\n\n${e.doc}${e.example ? `\n\n\`\`\`\n${e.example}\n\`\`\`` : ''}`;
}

/** Catalog entry for an option key as written after `option` (`mirror.copies-2` → mirror.copies). */
export function optionEntry(key: string): GitoliteEntry | undefined {
  const k = key.replace(/^gitolite-options\./, '');
  const exact = GITOLITE_CATALOG.options.find((o) => o.name === k);
  if (exact) return exact;
  const m = /^mirror\.(copies\.nosync-quiet|copies\.nosync|copies\.sync|copies|redirectOK)/.exec(k);
  return m ? GITOLITE_CATALOG.options.find((o) => o.name === 'mirror.' + m[1]) : undefined;
}

export function permissionEntry(perm: string): GitoliteEntry | undefined {
  const direct = GITOLITE_CATALOG.permissions.find((p) => p.name === perm);
  if (direct) return direct;
  // Any valid combination: describe its parts.
  const m = /^RW(\+?)(C?D?|D?C?)(M?)$/.exec(perm);
  if (!m) return undefined;
  const parts = [m[1] ? 'push anything (rewind, force)' : 'push fast-forwards'];
  if (m[2].includes('C')) parts.push('create refs');
  if (m[2].includes('D')) parts.push('delete refs');
  if (m[3]) parts.push('push merge commits');
  return { name: perm, doc: `Write access: ${parts.join(', ')}.` };
}
