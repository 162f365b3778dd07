// Splits a git remote URL into its parts the way git itself reads it: `scheme://…` URLs,
// scp-like `[user@]host:path`, and local paths. Used by the safety checks, the transport
// (credentials, display) and the SSH admin commands. No validation here: see safety.ts.

export type UrlKind = 'local' | 'file' | 'ssh' | 'http' | 'git' | 'other';

export interface ParsedGitUrl {
  kind: UrlKind;
  /** Lower-cased scheme as written (`ssh`, `git+ssh`, `https`, …); absent for scp-like and local paths. */
  scheme?: string;
  scpLike: boolean;
  /** Raw (still percent-encoded) user info, for URL forms. */
  rawUserInfo?: string;
  user?: string;
  password?: string;
  host?: string;
  port?: number;
  /** The repository path as the server sees it (percent-decoded for URL forms). */
  path: string;
  /** Index range of `userinfo@` inside the original string, so it can be cut out verbatim. */
  userInfoSpan?: [number, number];
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

export function kindOfScheme(scheme: string): UrlKind {
  switch (scheme) {
    case 'ssh':
    case 'git+ssh':
    case 'ssh+git':
      return 'ssh';
    case 'http':
    case 'https':
      return 'http';
    case 'git':
      return 'git';
    case 'file':
      return 'file';
    default:
      return 'other';
  }
}

/** Percent-decodes, leaving malformed escapes as they are (git does the same). */
export function percentDecode(s: string): string {
  return s.replace(/(%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

export function parseGitUrl(url: string): ParsedGitUrl {
  const m = SCHEME.exec(url);
  if (m) {
    const scheme = m[1].toLowerCase();
    const afterScheme = m[0].length;
    const slash = url.indexOf('/', afterScheme);
    const authorityEnd = slash < 0 ? url.length : slash;
    const authority = url.slice(afterScheme, authorityEnd);
    // The last '@' ends the user info: a password may hold an unescaped '@'.
    const at = authority.lastIndexOf('@');
    const out: ParsedGitUrl = { kind: kindOfScheme(scheme), scheme, scpLike: false, path: '' };
    let hostPort = authority;
    if (at >= 0) {
      const info = authority.slice(0, at);
      out.rawUserInfo = info;
      out.userInfoSpan = [afterScheme, afterScheme + at + 1];
      const colon = info.indexOf(':');
      out.user = percentDecode(colon < 0 ? info : info.slice(0, colon));
      if (colon >= 0) out.password = percentDecode(info.slice(colon + 1));
      hostPort = authority.slice(at + 1);
    }
    const bracket = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostPort);
    if (bracket) {
      out.host = bracket[1];
      if (bracket[2]) out.port = Number(bracket[2]);
    } else {
      const c = hostPort.lastIndexOf(':');
      if (c >= 0 && /^\d*$/.test(hostPort.slice(c + 1))) {
        out.host = hostPort.slice(0, c);
        if (c + 1 < hostPort.length) out.port = Number(hostPort.slice(c + 1));
      } else out.host = hostPort;
    }
    let path = url.slice(authorityEnd);
    if (out.kind === 'http') path = path.replace(/[?#].*$/, '');
    out.path = percentDecode(path);
    return out;
  }
  // scp-like syntax: a ':' before any '/', e.g. `git@host:repo.git` or `[host:22]:repo`.
  const colon = url.indexOf(':');
  const firstSlash = url.indexOf('/');
  const bracketed = /^(?:([^@/]*)@)?\[([^\]]*)\]:(.*)$/s.exec(url);
  if (bracketed) {
    const [host, port] = bracketed[2].split(/:(?=\d+$)/);
    return { kind: 'ssh', scpLike: true, user: bracketed[1], host, port: port ? Number(port) : undefined, path: bracketed[3] };
  }
  if (colon > 0 && (firstSlash < 0 || colon < firstSlash)) {
    const userHost = url.slice(0, colon);
    const at = userHost.lastIndexOf('@');
    return {
      kind: 'ssh',
      scpLike: true,
      user: at >= 0 ? userHost.slice(0, at) : undefined,
      host: at >= 0 ? userHost.slice(at + 1) : userHost,
      path: url.slice(colon + 1),
    };
  }
  return { kind: 'local', scpLike: false, path: url };
}

/** The URL with its user info (user and password) removed, for display. */
export function stripUserInfo(url: string): string {
  const p = parseGitUrl(url);
  if (p.scpLike) return p.user !== undefined ? url.slice(url.indexOf('@') + 1) : url;
  if (!p.userInfoSpan) return url;
  return url.slice(0, p.userInfoSpan[0]) + url.slice(p.userInfoSpan[1]);
}
