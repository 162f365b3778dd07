// Registers the gitolite formats (gitolite.conf and conf/**/*.conf, .gitolite.rc) with the
// language service. Every feature reads only inside the conf directory, plus the one
// .gitolite.rc paired with it (by name: an rc that is a symlink leading elsewhere is not read).
// The gitolite code is required when the first gitolite file is checked (registerLazyModule).
import { dirname, resolve } from 'node:path';
import { confinedModule, registerLazyModule } from '../service/languageService';
import type { Roots } from '../service/confine';
import type { ServiceContext } from '../service/types';

const gitolite = () => require('../gitolite') as typeof import('../gitolite');
// Looked up once: a require per call resolves the module path again (every validation asks).
let confSiteModule: typeof import('../gitolite/confSite') | undefined;
const confSite = () => (confSiteModule ??= require('../gitolite/confSite') as typeof import('../gitolite/confSite'));

/** What a gitolite conf file may read: its conf directory and its rc. */
export function gitoliteConfRoots(ctx: ServiceContext): Roots {
  const { confDir } = confSite().rootConfFor(resolve(ctx.path), ctx.ws);
  const rc = ctx.gitoliteRc ? resolve(ctx.gitoliteRc) : confSite().findRcAbove(confDir, ctx.ws);
  return { dirs: [confDir], files: rc ? [rc] : [] };
}

/** What an rc may read: itself, and the conf directory of the conf it governs. */
export function gitoliteRcRoots(ctx: ServiceContext): Roots {
  const path = resolve(ctx.path);
  const conf = ctx.gitoliteConf && ctx.gitoliteRc && resolve(ctx.gitoliteRc) === path ? resolve(ctx.gitoliteConf) : confSite().confForRc(path, ctx.ws);
  return { dirs: conf ? [dirname(conf)] : [], files: [path] };
}

// One service instance for both kinds: the rc and the conf it governs share their analyses.
let modules: ReturnType<typeof import('../gitolite').createGitoliteModules> | undefined;
const instance = () => (modules ??= gitolite().createGitoliteModules());
registerLazyModule('gitolite-conf', () => confinedModule(instance().conf, gitoliteConfRoots));
registerLazyModule('gitolite-rc', () => confinedModule(instance().rc, gitoliteRcRoots));
