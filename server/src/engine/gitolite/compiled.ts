// Reads what gitolite v3 itself decides mirroring from on one host: HOSTNAME and
// GL_REPO_BASE from ~/.gitolite.rc, and each repository's compiled options from
// `<repo>.git/gl-conf` (written by `gitolite setup` / `gitolite compile`; Mirroring.pm reads the
// same values through git_config()). Wild repositories have no gl-conf and read as local.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export interface CompiledRepoOptions {
  repo: string;
  /** `[key, value]` in conf order, e.g. `['gitolite-options.mirror.master', 'gl1']`. */
  options: Array<[string, string]>;
}

export interface CompiledGitoliteSite {
  home: string;
  rcFile: string;
  hostname?: string;
  repoBase: string;
  repos: CompiledRepoOptions[];
}

/** Unquotes a Data::Dumper single-quoted string body. */
function perlUnquote(s: string): string {
  return s.replace(/\\([\\'])/g, '$1');
}

/** The active (uncommented) value of a scalar `KEY => 'value'` in .gitolite.rc. */
export function rcValue(rc: string, key: string): string | undefined {
  let found: string | undefined;
  const re = new RegExp(`^[^#\\n]*\\b${key}\\s*=>\\s*(?:'([^']*)'|"([^"]*)")`, 'gm');
  for (let m = re.exec(rc); m; m = re.exec(rc)) found = m[1] ?? m[2];
  return found;
}

/** Parses the `%one_config` part of a gl-conf file into `[key, value]` pairs. */
export function parseGlConf(text: string): Array<[string, string]> {
  const start = text.indexOf('%one_config');
  if (start < 0) return [];
  const out: Array<[string, string]> = [];
  const re = /\[\s*(\d+),\s*'((?:[^'\\]|\\.)*)',\s*'((?:[^'\\]|\\.)*)'\s*\]/g;
  const body = text.slice(start);
  for (const m of body.matchAll(re)) out.push([perlUnquote(m[2]), perlUnquote(m[3])]);
  return out;
}

function findRepos(base: string, dir = base, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = join(dir, e.name);
    if (e.name.endsWith('.git')) out.push(relative(base, p).split(sep).join('/').replace(/\.git$/, ''));
    else findRepos(base, p, out);
  }
  return out;
}

export function readCompiledGitoliteSite(home: string): CompiledGitoliteSite {
  const rcFile = join(home, '.gitolite.rc');
  if (!existsSync(rcFile)) throw new Error(`${rcFile}: no such file (is ${home} a gitolite home?)`);
  const rc = readFileSync(rcFile, 'utf8');
  const baseSetting = rcValue(rc, 'GL_REPO_BASE') ?? 'repositories';
  const repoBase = isAbsolute(baseSetting) ? baseSetting : join(home, baseSetting);
  const repos: CompiledRepoOptions[] = [];
  if (existsSync(repoBase) && statSync(repoBase).isDirectory()) {
    for (const repo of findRepos(repoBase).sort()) {
      const f = join(repoBase, `${repo}.git`, 'gl-conf');
      repos.push({ repo, options: existsSync(f) ? parseGlConf(readFileSync(f, 'utf8')) : [] });
    }
  }
  return { home, rcFile, hostname: rcValue(rc, 'HOSTNAME') || undefined, repoBase, repos };
}
