// Which site the extension works on: the gitReplication.site setting, else the first workspace
// folder (or a direct sub-folder) that contains etc/replication.config or .gitolite.rc.
// Synchronous, cheap fs checks: this runs during activation.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

const MARKERS = [join('etc', 'replication.config'), '.gitolite.rc'];

export function isSite(dir: string): boolean {
  return MARKERS.some((m) => existsSync(join(dir, m)));
}

export function resolveSite(setting: string | undefined, folders: string[]): string | undefined {
  const s = (setting ?? '').trim();
  if (s) {
    const expanded = s === '~' || s.startsWith('~/') ? join(homedir(), s.slice(1)) : s;
    return isAbsolute(expanded) ? expanded : resolve(folders[0] ?? process.cwd(), expanded);
  }
  for (const f of folders) if (isSite(f)) return f;
  for (const f of folders) {
    let entries: string[] = [];
    try {
      entries = readdirSync(f, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules').map((e) => e.name).sort();
    } catch {
      continue;
    }
    for (const e of entries) if (isSite(join(f, e))) return join(f, e);
  }
  return undefined;
}
