// gitReplication.gitPath: the engine runs `git` from PATH, so an absolute path to a git
// executable puts its directory first on the language server's PATH (and so for every git the
// server starts). Anything else is refused with a warning and the default git is used.
import { basename, delimiter, dirname, isAbsolute } from 'node:path';

export function serverEnv(gitPath: string, env: NodeJS.ProcessEnv, warn: (m: string) => void): NodeJS.ProcessEnv | undefined {
  const p = gitPath.trim();
  if (!p || p === 'git') return undefined;
  if (!isAbsolute(p) || basename(p) !== 'git') {
    warn(`gitReplication.gitPath must be an absolute path to an executable named git; ignoring "${p}"`);
    return undefined;
  }
  return { ...env, PATH: `${dirname(p)}${delimiter}${env.PATH ?? ''}` };
}
