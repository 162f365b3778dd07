// Registers the gitolite formats (gitolite.conf and conf/**/*.conf, .gitolite.rc) with the
// language service. Every feature reads only inside the conf directory, plus the one
// .gitolite.rc paired with it (by name: an rc that is a symlink leading elsewhere is not read).
import { dirname, resolve } from 'node:path';
import { confinedModule, registerModule } from '../service/languageService';
import type { Roots } from '../service/confine';
import type { ServiceContext } from '../service/types';
import { gitoliteConfModule, gitoliteRcModule } from '../gitolite';
import { confForRc, findRcAbove, rootConfFor } from '../gitolite/confSite';

/** What a gitolite conf file may read: its conf directory and its rc. */
export function gitoliteConfRoots(ctx: ServiceContext): Roots {
  const { confDir } = rootConfFor(resolve(ctx.path), ctx.ws);
  const rc = ctx.gitoliteRc ? resolve(ctx.gitoliteRc) : findRcAbove(confDir, ctx.ws);
  return { dirs: [confDir], files: rc ? [rc] : [] };
}

/** What an rc may read: itself, and the conf directory of the conf it governs. */
export function gitoliteRcRoots(ctx: ServiceContext): Roots {
  const path = resolve(ctx.path);
  const conf = ctx.gitoliteConf && ctx.gitoliteRc && resolve(ctx.gitoliteRc) === path ? resolve(ctx.gitoliteConf) : confForRc(path, ctx.ws);
  return { dirs: conf ? [dirname(conf)] : [], files: [path] };
}

registerModule('gitolite-conf', confinedModule(gitoliteConfModule, gitoliteConfRoots));
registerModule('gitolite-rc', confinedModule(gitoliteRcModule, gitoliteRcRoots));
