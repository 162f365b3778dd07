// What every engine command shares: finding the site (--site, $GIT_REPLICATION_SITE, or the
// current directory when it holds etc/replication.config) and reading it, with the config's
// errors printed as file:line:col when Gerrit would refuse to load it. Opening the whole
// engine on it is ./openEngine; the post-receive hook needs only the site.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args';
import { loadSite, SiteError, type Site } from '../engine/site/loadSite';

export type Io = { out: (s: string) => void; err: (s: string) => void };

export function siteDir(flag: unknown): string {
  if (typeof flag === 'string' && flag !== '') return resolve(flag);
  if (process.env.GIT_REPLICATION_SITE) return resolve(process.env.GIT_REPLICATION_SITE);
  if (existsSync(join(process.cwd(), 'etc', 'replication.config'))) return process.cwd();
  throw new UsageError('--site DIR is required (a Gerrit site with etc/replication.config)');
}

/** Read the site, or print why Gerrit would refuse it and return undefined (the caller exits 1). */
export function openSite(flag: unknown, io: Io): Site | undefined {
  const dir = siteDir(flag);
  let site;
  try {
    site = loadSite(dir);
  } catch (e) {
    if (e instanceof SiteError) throw new UsageError(e.message);
    throw e;
  }
  for (const d of site.diagnostics) if (d.severity === 'error') io.err(`${join(dir, d.file)}:${d.line}:${d.column}: error: ${d.message} [${d.code}]`);
  if (site.refused) {
    io.err('error: the replication config has errors; nothing is replicated (as Gerrit refuses to load it)');
    return undefined;
  }
  return site;
}
