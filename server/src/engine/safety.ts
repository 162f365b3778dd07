// Refuses project names and URLs that could make git run something other than a push to a
// repository: an option (leading '-'), a remote helper transport (`ext::`, `fd::`, any
// `name::address`), or a path escaping its root (`..` segments).

/** Why a project name is unsafe, or undefined when it is fine. */
export function unsafeProjectName(name: string): string | undefined {
  if (name === '') return 'the project name is empty';
  if (name.startsWith('-')) return `project name '${name}' starts with '-' and could be read as a git option`;
  if (name.startsWith('/')) return `project name '${name}' is an absolute path`;
  if (/[\x00-\x1f\x7f]/.test(name)) return `project name '${escapeControl(name)}' contains control characters`;
  if (name.split('/').some((s) => s === '..' || s === '.')) return `project name '${name}' contains a '.' or '..' path segment`;
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(name)) return `project name '${name}' looks like a git remote-helper transport`;
  return undefined;
}

/** Why a (template or expanded) URL is unsafe, or undefined when it is fine. */
export function unsafeUrl(url: string): string | undefined {
  if (url.trim() === '') return 'the URL is empty';
  if (url.startsWith('-')) return `URL '${url}' starts with '-' and could be read as a git option`;
  if (/[\x00-\x1f\x7f]/.test(url)) return `URL '${escapeControl(url)}' contains control characters`;
  const helper = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(url);
  if (helper) return `URL '${url}' uses the '${helper[1]}::' remote-helper transport, which can run arbitrary commands`;
  if (/^(ext|fd)::/i.test(url)) return `URL '${url}' uses a forbidden transport`;
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').replace(/^[^/:]+:(?!\/)/, '');
  if (path.split(/[\\/]/).some((s) => s === '..' || decodeSafe(s) === '..')) return `URL '${url}' contains a '..' path segment`;
  return undefined;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function escapeControl(s: string): string {
  return s.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Protocols git may use for our invocations (GIT_ALLOW_PROTOCOL): never ext, fd or helpers. */
export const ALLOWED_PROTOCOLS = 'file:git:http:https:ssh';
