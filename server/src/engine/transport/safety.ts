// Refuses project names, URLs and ref names that could make git (or the remote shell) do
// something other than a plain push: option injection (a leading '-'), command-running
// transports (`ext::`, `fd::`, any `<helper>::`), paths that climb out with `..`, and control
// characters. Called before any git or ssh process is started.
import { parseGitUrl, ParsedGitUrl } from './gitUrl';

export class UnsafeInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeInputError';
  }
}

/** Schemes git may be asked to push to. Anything else would start a remote helper. */
const PUSH_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git', 'http', 'https', 'git', 'file']);
/** adminUrl may also name Gerrit's admin APIs; they are never handed to git. */
const ADMIN_SCHEMES = new Set([...PUSH_SCHEMES, 'gerrit+ssh', 'gerrit+http', 'gerrit+https']);

const CONTROL = /[\u0000-\u001f\u007f]/;
const HELPER_TRANSPORT = /^([A-Za-z0-9][A-Za-z0-9+.-]*)::/;
const HOST = /^[A-Za-z0-9._~%-]+$|^[0-9A-Fa-f:.]+$/;

function show(s: string): string {
  return JSON.stringify(s.length > 80 ? s.slice(0, 77) + '...' : s);
}

function pathProblem(path: string, what: string): string | undefined {
  if (path.split('/').some((seg) => seg === '..')) return `${what} contains a '..' path segment`;
  return undefined;
}

function urlProblem(url: string, schemes: Set<string>): string | undefined {
  if (typeof url !== 'string' || url.length === 0) return 'the URL is empty';
  if (CONTROL.test(url)) return 'the URL contains a control character';
  if (/^\s/.test(url) || /\s$/.test(url)) return 'the URL starts or ends with white space';
  if (url.startsWith('-')) return `the URL ${show(url)} starts with '-' and would be read as a git option`;
  const helper = HELPER_TRANSPORT.exec(url);
  if (helper) {
    const t = helper[1].toLowerCase();
    const why = t === 'ext' || t === 'fd' ? 'runs arbitrary commands' : 'starts an external remote helper';
    return `the URL uses the '${t}::' transport, which ${why}`;
  }
  let p: ParsedGitUrl;
  try {
    p = parseGitUrl(url);
  } catch {
    return `the URL ${show(url)} cannot be parsed`;
  }
  if (p.scheme !== undefined && !schemes.has(p.scheme)) return `the URL uses the unsupported transport '${p.scheme}://'`;
  if (p.kind === 'ssh' || p.kind === 'http' || p.kind === 'git' || (p.scheme ?? '').startsWith('gerrit+')) {
    if (!p.host) return `the URL ${show(url)} has no host`;
    if (p.host.startsWith('-')) return `the host in the URL starts with '-' and would be read as an ssh option`;
    if (!HOST.test(p.host)) return `the host ${show(p.host)} contains characters that are not allowed in a host name`;
    if (p.user !== undefined && p.user.startsWith('-')) return `the user name in the URL starts with '-' and would be read as an ssh option`;
    if (p.port !== undefined && !(p.port > 0 && p.port < 65536)) return `the port in the URL is out of range`;
  }
  // JGit's TransportLocal takes no host, user or port (file://HOST/path is "URI not supported"),
  // and git would silently push to /path on this machine while we would report HOST.
  if (p.kind === 'file' && (p.host || p.user !== undefined || p.port !== undefined))
    return `the file:// URL ${show(url)} names a host; Gerrit (JGit) cannot push to it and git would ignore the host and write ${show(p.path)} on this machine: write file://${p.path} or ssh://HOST${p.path}`;
  if (p.kind !== 'http' && p.kind !== 'git' && p.path.length === 0) return `the URL ${show(url)} has no repository path`;
  if (p.kind === 'ssh' && p.path.startsWith('-')) return `the repository path starts with '-' and would be read as an option by the remote git`;
  if (p.kind === 'local' && (p.path.startsWith('-') || CONTROL.test(p.path))) return `the path ${show(p.path)} is not a safe local path`;
  return pathProblem(p.path, 'the URL path');
}

/** Why `url` may not be handed to git, or undefined when it is safe. */
export function remoteUrlProblem(url: string): string | undefined {
  return urlProblem(url, PUSH_SCHEMES);
}

/** Throws UnsafeInputError unless `url` is a plain file/ssh/http(s)/git URL or path. */
export function validateRemoteUrl(url: string): ParsedGitUrl {
  const problem = remoteUrlProblem(url);
  if (problem) throw new UnsafeInputError(`refusing remote URL: ${problem}`);
  return parseGitUrl(url);
}

/** As validateRemoteUrl, also accepting Gerrit's `gerrit+ssh://` and `gerrit+http(s)://` admin URLs. */
export function validateAdminUrl(url: string): ParsedGitUrl {
  const problem = urlProblem(url, ADMIN_SCHEMES);
  if (problem) throw new UnsafeInputError(`refusing admin URL: ${problem}`);
  return parseGitUrl(url);
}

/**
 * Why `name` is not an acceptable project name, or undefined. Follows Gerrit's list of
 * unreasonable names (LocalDiskRepositoryManager) and adds a leading '-' or '~' (an option to
 * the remote git, or another user's home once `${name}` lands at the start of a path).
 */
export function projectNameProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'the project name is empty';
  if (CONTROL.test(name)) return 'the project name contains a control character';
  if (name.startsWith('-')) return `the project name ${show(name)} starts with '-' and would be read as a git option`;
  if (name.startsWith('~')) return `the project name ${show(name)} starts with '~'`;
  if (name.startsWith('/')) return `the project name ${show(name)} is an absolute path`;
  if (name.endsWith('/')) return `the project name ${show(name)} ends with '/'`;
  if (name.includes('\\')) return `the project name ${show(name)} contains '\\'`;
  if (name.includes('//')) return `the project name ${show(name)} contains '//'`;
  const segs = name.split('/');
  if (segs.includes('..')) return `the project name ${show(name)} contains a '..' path segment`;
  if (segs.includes('.')) return `the project name ${show(name)} contains a '.' path segment`;
  if (/\.git\//.test(name)) return `the project name ${show(name)} contains '.git/'`;
  const bad = /[?%*:<>|$]/.exec(name);
  if (bad) return `the project name ${show(name)} contains '${bad[0]}'`;
  return undefined;
}

export function validateProjectName(name: string): void {
  const problem = projectNameProblem(name);
  if (problem) throw new UnsafeInputError(`refusing project: ${problem}`);
}

/** Why `ref` is not a full, well-formed ref name (git check-ref-format rules), or undefined. */
export function refNameProblem(ref: string): string | undefined {
  if (typeof ref !== 'string' || ref.length === 0) return 'the ref name is empty';
  if (ref.startsWith('-')) return `the ref name ${show(ref)} starts with '-'`;
  if (!ref.startsWith('refs/')) return `the ref name ${show(ref)} does not start with 'refs/'`;
  if (CONTROL.test(ref) || /[\s~^:?*[\\]/.test(ref)) return `the ref name ${show(ref)} contains a character git does not allow`;
  if (ref.includes('..') || ref.includes('@{') || ref.includes('//')) return `the ref name ${show(ref)} is not a valid ref name`;
  if (ref.endsWith('/') || ref.endsWith('.') || ref.endsWith('.lock')) return `the ref name ${show(ref)} is not a valid ref name`;
  if (ref.split('/').some((seg) => seg.startsWith('.'))) return `the ref name ${show(ref)} has a component starting with '.'`;
  return undefined;
}

export function validateRefName(ref: string): void {
  const problem = refNameProblem(ref);
  if (problem) throw new UnsafeInputError(`refusing ref: ${problem}`);
}

/** Protocols git may use for our invocations (GIT_ALLOW_PROTOCOL): never ext, fd or helpers. */
export const ALLOWED_PROTOCOLS = 'file:git:http:https:ssh';

/** The engine's names for the checks above. */
export const unsafeProjectName = projectNameProblem;
export const unsafeUrl = remoteUrlProblem;
