// A gitolite "site": one gitolite.conf (with everything it includes) paired with the
// .gitolite.rc that governs it. Pairing: the rc given explicitly (`check --rc FILE`), else the
// nearest .gitolite.rc at or above the conf's directory — ~/.gitolite.rc for a gitolite home
// (~/.gitolite/conf/gitolite.conf), the one beside or above conf/ in a gitolite-admin clone.
// Files are read only through the Workspace, and a whole analysis is cached until any file it
// read (or any directory it listed) changes.
import { basename, dirname, join, resolve } from 'node:path';
import type { Workspace } from '../service/workspace';
import { compileSteps, CompileResult } from './compile/compileChecks';
import type { GlDiag } from './diag';
import { explodeSteps, ExplodeResult } from './compile/explode';
import { checkMirrorsSteps, MirrorAnalysis } from './mirrorChecks';
import type { Call, GitoliteCaches } from './caches';
import { drain, type Steps } from '../service/slices';
import { GitoliteRc, rcEnables, readRc } from './rcReader';

export interface SiteAnalysis {
  /** The root gitolite.conf (or the file itself when it belongs to no root). */
  confPath: string;
  confDir: string;
  rcPath?: string;
  rc: GitoliteRc;
  exploded: ExplodeResult;
  compiled: CompileResult;
  mirror: MirrorAnalysis;
  /** Every diagnostic, per file (conf files and the rc). */
  byFile: Map<string, GlDiag[]>;
}

const RC_NAMES = ['.gitolite.rc', 'gitolite.rc'];

/** The nearest rc at or above `dir`. */
export function findRcAbove(dir: string, ws: Workspace): string | undefined {
  let d = resolve(dir);
  for (;;) {
    for (const n of RC_NAMES) {
      const p = join(d, n);
      if (ws.stat(p)?.isFile) return p;
    }
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}

/** The gitolite.conf whose includes may reach `path` (conf/gitolite.conf above it). */
export function rootConfFor(path: string, ws: Workspace): { root: string; confDir: string } {
  const abs = resolve(path);
  if (basename(abs) === 'gitolite.conf') return { root: abs, confDir: dirname(abs) };
  let d = dirname(abs);
  for (;;) {
    if (basename(d) === 'conf' && ws.stat(join(d, 'gitolite.conf'))?.isFile) return { root: join(d, 'gitolite.conf'), confDir: d };
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return { root: abs, confDir: dirname(abs) };
}

/** The gitolite.conf an rc governs: ~/.gitolite/conf/gitolite.conf or conf/gitolite.conf beside it. */
export function confForRc(rcPath: string, ws: Workspace): string | undefined {
  const d = dirname(resolve(rcPath));
  for (const c of [join(d, '.gitolite', 'conf', 'gitolite.conf'), join(d, 'conf', 'gitolite.conf'), join(d, 'gitolite-admin', 'conf', 'gitolite.conf')])
    if (ws.stat(c)?.isFile) return c;
  return undefined;
}


/** A workspace that records what was read, so a cached analysis can tell when it is stale. */
function recording(ws: Workspace, calls: Call[]): Workspace {
  return {
    read: (p) => { const r = ws.read(p); calls.push({ k: 'read', p, r }); return r; },
    list: (p) => { const r = ws.list(p); calls.push({ k: 'list', p, r: r?.join('\0') }); return r; },
    stat: (p) => { const r = ws.stat(p); calls.push({ k: 'stat', p, r: r ? (r.isFile ? 'f' : r.isDirectory ? 'd' : 'o') : undefined }); return r; },
    refusal: ws.refusal && ((p) => ws.refusal!(p)),
  };
}

function stillValid(calls: Call[], ws: Workspace): boolean {
  for (const c of calls) {
    if (c.k === 'read') { if (ws.read(c.p) !== c.r) return false; }
    else if (c.k === 'list') { if (ws.list(c.p)?.join('\0') !== c.r) return false; }
    else { const s = ws.stat(c.p); if ((s ? (s.isFile ? 'f' : s.isDirectory ? 'd' : 'o') : undefined) !== c.r) return false; }
  }
  return true;
}

/**
 * Within one analysis, each file is read, each path stat'ed and each directory listed once (the
 * staleness check, the include globs and the parse ask the same questions).
 */
function memoReads(ws: Workspace): Workspace {
  const texts = new Map<string, string | undefined>();
  const stats = new Map<string, ReturnType<Workspace['stat']>>();
  const lists = new Map<string, string[] | undefined>();
  return {
    read: (p) => { if (!texts.has(p)) texts.set(p, ws.read(p)); return texts.get(p); },
    list: (p) => { if (!lists.has(p)) lists.set(p, ws.list(p)); return lists.get(p); },
    stat: (p) => { if (!stats.has(p)) stats.set(p, ws.stat(p)); return stats.get(p); },
    refusal: ws.refusal && ((p) => ws.refusal!(p)),
  };
}

/**
 * Analyze the site rooted at `rootConf`, remembering what it can in `caches` (the service
 * instance's own). `rcOverride` pins the rc (CLI `--rc`).
 */
export function analyzeSite(caches: GitoliteCaches, rootConf: string, confDir: string, ws: Workspace, rcOverride?: string): SiteAnalysis {
  return drain(analyzeSiteSteps(caches, rootConf, confDir, ws, rcOverride));
}

/**
 * The same analysis a slice at a time (service/slices): the parse, the compile and the mirror
 * checks yield, so a host answers requests meanwhile. A job dropped half-way leaves every cache
 * as a whole run left it: each is written in one step, the site's own only at the end.
 */
export function* analyzeSiteSteps(caches: GitoliteCaches, rootConf: string, confDir: string, ws: Workspace, rcOverride?: string): Steps<SiteAnalysis> {
  const key = `${rootConf}\0${rcOverride ?? ''}`;
  ws = memoReads(ws);
  const hit = caches.sites.get(key);
  if (hit && stillValid(hit.calls, ws)) return hit.result;
  const calls: Call[] = [];
  const rws = recording(ws, calls);
  const t0 = performance.now();
  const rcPath = rcOverride ? resolve(rcOverride) : findRcAbove(confDir, rws);
  const rcText = rcPath ? rws.read(rcPath) : undefined;
  // The same rc object while its text is unchanged: the compile's rc view is then the same too.
  const last = caches.lastRc;
  const rc = last && last.text === rcText ? last.rc : readRc(rcText);
  caches.lastRc = { text: rcText, rc };
  const t1 = performance.now();
  const exploded = yield* explodeSteps({ confDir, rootFile: rootConf, ws: rws, hostname: rc.hostname?.value, caches });
  const t2 = performance.now();
  const compiled = yield* compileSteps(exploded.segments, { rc, continuation: rcEnables(rc, 'continuation-lines'), rootFile: rootConf, caches });
  const t3 = performance.now();
  const mirror = yield* checkMirrorsSteps({ rc, rcPath, confPath: rootConf, compiled, exploded, caches });
  const t4 = performance.now();
  const phases = caches.phaseMs;
  phases.rc = t1 - t0;
  phases.explode = t2 - t1;
  phases.compile = t3 - t2;
  phases.mirror = t4 - t3;
  const byFile = new Map<string, GlDiag[]>();
  const add = (d: GlDiag) => {
    let l = byFile.get(d.file);
    if (!l) byFile.set(d.file, (l = []));
    l.push(d);
  };
  exploded.diags.forEach(add);
  compiled.diags.forEach(add);
  mirror.diags.forEach(add);
  const result: SiteAnalysis = { confPath: rootConf, confDir, rcPath, rc, exploded, compiled, mirror, byFile };
  if (caches.sites.size > 32) caches.sites.clear();
  if (caches.parses.size > 2000) caches.parses.clear();
  caches.sites.set(key, { calls, result });
  return result;
}

/** The cached analysis of the site rooted at `rootConf`, when it still holds; nothing is parsed. */
function cachedSite(caches: GitoliteCaches, rootConf: string, ws: Workspace, rcOverride?: string): SiteAnalysis | undefined {
  const hit = caches.sites.get(`${rootConf}\0${rcOverride ?? ''}`);
  return hit && stillValid(hit.calls, memoReads(ws)) ? hit.result : undefined;
}

/** What analysisForConf would return, when it is cached and still holds (else undefined: it would work). */
export function cachedAnalysisForConf(caches: GitoliteCaches, path: string, ws: Workspace, rcOverride?: string): SiteAnalysis | undefined {
  const abs = resolve(path);
  const { root } = rootConfFor(abs, ws);
  const a = cachedSite(caches, root, ws, rcOverride);
  if (!a) return undefined;
  if (root === abs || a.exploded.files.has(abs)) return a;
  return cachedSite(caches, abs, ws, rcOverride);
}

/** The analysis a conf file belongs to: its root's when the root includes it, else its own. */
export function analysisForConf(caches: GitoliteCaches, path: string, ws: Workspace, rcOverride?: string): SiteAnalysis {
  return drain(analysisForConfSteps(caches, path, ws, rcOverride));
}

export function* analysisForConfSteps(caches: GitoliteCaches, path: string, ws: Workspace, rcOverride?: string): Steps<SiteAnalysis> {
  const abs = resolve(path);
  const { root, confDir } = rootConfFor(abs, ws);
  const a = yield* analyzeSiteSteps(caches, root, confDir, ws, rcOverride);
  if (root === abs || a.exploded.files.has(abs)) return a;
  return yield* analyzeSiteSteps(caches, abs, confDir, ws, rcOverride);
}

/** The analysis an rc governs (undefined when no gitolite.conf is found for it). */
export function analysisForRc(caches: GitoliteCaches, rcPath: string, ws: Workspace): SiteAnalysis | undefined {
  return drain(analysisForRcSteps(caches, rcPath, ws));
}

export function* analysisForRcSteps(caches: GitoliteCaches, rcPath: string, ws: Workspace): Steps<SiteAnalysis | undefined> {
  const conf = confForRc(rcPath, ws);
  if (!conf) return undefined;
  return yield* analyzeSiteSteps(caches, conf, dirname(conf), ws, rcPath);
}
