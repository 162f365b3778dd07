// What the Remotes view says about itself, and which targets a queue change touched. The view
// is read from the saved files (the engine reads the site from disk): while a config file of the
// site has unsaved changes, it says so. Pure.
import { basename, relative, sep } from 'node:path';
import type { QueueSnapshot } from '../../../server/src/protocol';

const CONFIG = /(^|[\\/])etc[\\/](replication\.config|secure\.config|replication[\\/][^\\/]+\.config)$/;

/** A Gerrit replication file of the site (replication.config, secure.config, etc/replication/*.config). */
export function isSiteConfig(file: string, site: string | undefined): boolean {
  if (!CONFIG.test(file)) return false;
  if (!site) return true;
  const rel = relative(site, file);
  return !!rel && !rel.startsWith('..') && !rel.startsWith(sep);
}

/** The view's message while files are dirty, naming them (relative to the site). */
export function dirtyNotice(dirty: string[], site: string | undefined): string | undefined {
  if (!dirty.length) return undefined;
  const names = [...new Set(dirty)].map((f) => (site ? relative(site, f) : basename(f)));
  const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  return `Showing the saved ${list}: the editor has unsaved changes. Save to update the view.`;
}

/** Projects and remotes of tasks that left the queue between two snapshots (pushed or given up). */
export function finishedTargets(prev: QueueSnapshot | undefined, next: QueueSnapshot | undefined): { projects: string[]; remotes: string[] } {
  if (!prev) return { projects: [], remotes: [] };
  const still = new Set((next?.tasks ?? []).filter((t) => t.state !== 'failed').map((t) => t.id));
  const gone = prev.tasks.filter((t) => t.state !== 'failed' && !still.has(t.id));
  return { projects: [...new Set(gone.map((t) => t.project))], remotes: [...new Set(gone.map((t) => t.remote))] };
}
