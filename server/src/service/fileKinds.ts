// Which of our file formats a path is. Detection is by exact name, as the servers find them.
import { basename, dirname } from 'node:path';

export type FileKindId = 'replication' | 'fanout' | 'secure' | 'gitolite-conf' | 'gitolite-rc';

export function classifyFile(path: string): FileKindId | undefined {
  const base = basename(path);
  const parent = basename(dirname(path));
  if (base === 'replication.config') return 'replication';
  if (base === 'secure.config') return 'secure';
  if (parent === 'replication' && base.endsWith('.config')) return 'fanout';
  if (base === '.gitolite.rc' || base === 'gitolite.rc' || /gitolite.*\.rc$/.test(base)) return 'gitolite-rc';
  if (base === 'gitolite.conf') return 'gitolite-conf';
  // Included files of a gitolite-admin tree: conf/**/*.conf
  if (base.endsWith('.conf') && /(^|\/)conf(\/|$)/.test(dirname(path))) return 'gitolite-conf';
  return undefined;
}
