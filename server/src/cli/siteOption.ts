// What every engine command shares: finding the site (--site, $GIT_REPLICATION_SITE, or the
// current directory when it holds etc/replication.config) and opening it, with the config's
// errors printed as file:line:col when Gerrit would refuse to load it.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './args';
import { loadSite, SiteError } from '../engine/site/loadSite';
import { Engine, type EngineOptions } from '../engine/engine';
import { timeScaleFromEnv } from '../engine/queue/clock';

export type Io = { out: (s: string) => void; err: (s: string) => void };

export function siteDir(flag: unknown): string {
  if (typeof flag === 'string' && flag !== '') return resolve(flag);
  if (process.env.GIT_REPLICATION_SITE) return resolve(process.env.GIT_REPLICATION_SITE);
  if (existsSync(join(process.cwd(), 'etc', 'replication.config'))) return process.cwd();
  throw new UsageError('--site DIR is required (a Gerrit site with etc/replication.config)');
}

/** Open the engine, or print why not and return undefined (the caller exits 1). */
export function openEngine(flag: unknown, io: Io, opts: EngineOptions = {}): Engine | undefined {
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
  return new Engine(site, { timeScale: timeScaleFromEnv(), ...opts });
}
