// The gitolite mirroring model for the engine (and anyone else): what a gitolite server with
// this rc and conf will do for each repo.
//
//   const site = loadGitoliteSite('/home/git/.gitolite/conf/gitolite.conf', diskWorkspace);
//   for (const r of site.repos) if (r.mode === 'master') for (const c of r.copies) ...push r.name to c.host
//
// `path` may be a gitolite.conf (or any file it includes), a .gitolite.rc, a gitolite home
// (the directory holding .gitolite.rc and .gitolite/) or a gitolite-admin clone (holding conf/).
// Semantics follow gitolite: @groups on repo lines are expanded with their final members,
// @all and repo patterns apply to every matching repo, and for each option key the last line
// wins (empty values unset). Nothing is executed; the rc is read, never run.
import { join, resolve } from 'node:path';
import type { Workspace } from '../service/workspace';
import type { GlDiag } from './diag';
import type { CopyMode, Dialect, HostMode, MirrorCopy, MirrorRepo } from './mirrorModel';
import { analysisForConf, analysisForRc, confForRc, SiteAnalysis } from './confSite';
import { GitoliteCaches } from './caches';

export type { CopyMode, Dialect, HostMode, MirrorCopy };

/**
 * One repo's mirror settings (name, isPattern, master, copies, redirectOK and this host's
 * mode, documented on MirrorRepo), without the compiler's internal entries.
 */
export interface GitoliteRepoMirror extends Pick<MirrorRepo, 'name' | 'isPattern' | 'master' | 'copies' | 'redirectOK' | 'mode'> {
  /** Where the master / copies came from: file and 0-based line of the winning option line. */
  origin: { master?: { file: string; line: number }; copies: Array<{ file: string; line: number }> };
}

export interface GitoliteSite {
  rcPath?: string;
  confPath: string;
  /** HOSTNAME (v3) or $GL_HOSTNAME (v2) from the rc, when it could be read. */
  hostname?: string;
  /** Which mirroring the conf uses ('none' when it has no mirror settings). */
  dialect: Dialect;
  /** Every repo with mirror settings (repos without any are local and not listed). */
  repos: GitoliteRepoMirror[];
  /** Diagnostics for every file of the site (rc and conf files), with rule codes. */
  diagnostics: GlDiag[];
}

/** Find the analysis for whatever `path` names (file or directory). */
export function siteAnalysisFor(path: string, ws: Workspace, rcOverride?: string, caches = new GitoliteCaches()): SiteAnalysis | undefined {
  const abs = resolve(path);
  const st = ws.stat(abs);
  if (st?.isDirectory) {
    const rc = [join(abs, '.gitolite.rc')].find((p) => ws.stat(p)?.isFile);
    const conf = [join(abs, '.gitolite', 'conf', 'gitolite.conf'), join(abs, 'conf', 'gitolite.conf'), join(abs, 'gitolite.conf')].find((p) => ws.stat(p)?.isFile);
    if (conf) return analysisForConf(caches, conf, ws, rcOverride ?? rc);
    return rc ? analysisForRc(caches, rc, ws) : undefined;
  }
  if (/(^|\/)\.?gitolite\.rc$/.test(abs)) return confForRc(abs, ws) ? analysisForRc(caches, abs, ws) : undefined;
  if (!st) return undefined;
  return analysisForConf(caches, abs, ws, rcOverride);
}

export function siteFromAnalysis(a: SiteAnalysis): GitoliteSite {
  return {
    rcPath: a.rcPath,
    confPath: a.confPath,
    hostname: a.rc.hostname?.value,
    dialect: a.mirror.dialect,
    repos: a.mirror.repos.map((r) => ({
      name: r.name,
      isPattern: r.isPattern,
      master: r.master,
      copies: r.copies.map((c) => ({ ...c })),
      redirectOK: r.redirectOK === 'all' ? 'all' : [...r.redirectOK],
      mode: r.mode,
      origin: {
        master: r.sources.master ? { file: r.sources.master.file, line: r.sources.master.cl.line } : undefined,
        copies: r.sources.copies.map((e) => ({ file: e.file, line: e.cl.line })),
      },
    })),
    diagnostics: [...a.byFile.values()].flat(),
  };
}

/**
 * Load a gitolite site's mirroring model. Throws when `path` leads to no gitolite.conf.
 * `rcOverride` pins the rc (as `git-replication check --rc FILE` does).
 */
/** `caches`: what an earlier load of the same site may reuse; by default nothing (a fresh instance). */
export function loadGitoliteSite(path: string, ws: Workspace, rcOverride?: string, caches = new GitoliteCaches()): GitoliteSite {
  const a = siteAnalysisFor(path, ws, rcOverride, caches);
  if (!a) throw new Error(`${path}: no gitolite.conf found (looked for .gitolite/conf/gitolite.conf and conf/gitolite.conf)`);
  return siteFromAnalysis(a);
}

