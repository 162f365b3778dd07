// URLs as Gerrit's replication plugin sees them: JGit's URIish parser (the five patterns it
// tries, in its order), `${name}` expansion with remoteNameStyle and http(s) escaping
// (Destination.getURI), and the adminUrl classification (AdminApiFactory).
//
// API (all pure and synchronous):
//   parseUrl(raw)                  → ParsedUrl {ok, form, scheme?, user?, password?, host?, port, path, rawPath} | {ok:false, error}
//   formatUrl(u, {includePassword}) → the URL as JGit prints it (password left out by default)
//   expandUrl(template, project, style?, {singleProject?, includePassword?}) → the URL pushed to (throws UrlExpansionError)
//   needsUrlEscaping(url), escapeProjectForUrl(name), applyRemoteNameStyle(name, style), replaceName(path, name, optional)
//   adminKind(u) / isSshUrl / isGerritSshUrl / isGerritHttpUrl, applyInsteadOf(url, rules)
//   unsafeUrlReason(url), maskUrlPassword(raw)
// The engine expands URLs with `expandUrl`; the language service validates with `parseUrl`.

/** A URL as JGit's URIish holds it. Fields JGit leaves null are undefined here. */
import { maskSecrets } from '../service/secrets';

export interface ParsedUrl {
  ok: true;
  /** Which URIish pattern matched: `scheme://…`, `file:/…`, scp-like `host:path`, or a local path. */
  form: 'url' | 'file-single-slash' | 'scp' | 'local';
  scheme?: string;
  user?: string;
  /** A password written into the URL. Never print it: use `formatUrl(u)` (drops it). */
  password?: string;
  host?: string;
  /** -1 when not written, as JGit. */
  port: number;
  /** The path with %XX decoded (what Gerrit checks for `${name}`). */
  path: string;
  /** The path as written. */
  rawPath: string;
}

export interface UrlError {
  ok: false;
  /** The text of the exception JGit/Java would throw. */
  error: string;
}

export type UrlParse = ParsedUrl | UrlError;

// The URIish building blocks. `[^\\/]` is "neither slash nor backslash", as in JGit.
const SCHEME_P = '([a-z][a-z0-9+-]+)://';
const OPT_USER_PWD_P = '(?:([^/:]+)(?::([^\\\\/]+))?@)?';
const HOST_P = '((?:[^\\\\/:]+)|(?:\\[[0-9a-f:]+\\]))';
const OPT_PORT_P = '(?::(\\d*))?';
const USER_HOME_P = '(?:/~(?:[^\\\\/]+))';
const OPT_DRIVE_LETTER_P = '(?:[A-Za-z]:)?';
const RELATIVE_PATH_P = '(?:(?:[^\\\\/]+[\\\\/]+)*[^\\\\/]+[\\\\/]*)';
const PATH_P = '(' + OPT_DRIVE_LETTER_P + '[\\\\/]?' + RELATIVE_PATH_P + ')';

// `s` flag: Java's `.` stops at line terminators but `[^/]` does not; values rarely hold any.
const FULL_URI = new RegExp(
  '^' + SCHEME_P + '(?:' + OPT_USER_PWD_P + HOST_P + OPT_PORT_P + '(' + USER_HOME_P + '?(?:[\\\\/])|$))?(.+)?$',
);
const LOCAL_FILE = new RegExp('^([\\\\/]?' + PATH_P + ')$');
const SINGLE_SLASH_FILE_URI = new RegExp('^(file):([\\\\/](?![\\\\/])' + PATH_P + ')$');
const RELATIVE_SCP_URI = new RegExp('^' + OPT_USER_PWD_P + HOST_P + ':((?:' + USER_HOME_P + '[\\\\/])?' + RELATIVE_PATH_P + ')$');
const ABSOLUTE_SCP_URI = new RegExp('^' + OPT_USER_PWD_P + '([^\\\\/:]{2,}):([\\\\/]' + RELATIVE_PATH_P + ')$');

const CANNOT_PARSE = 'Cannot parse Git URI-ish';

class UriSyntax extends Error {}

/** URIish.unescape: %XX on UTF-8 bytes; a bad or truncated escape is a syntax error. */
function unescape(s: string | undefined, whole: string): string | undefined {
  if (s === undefined || !s.includes('%')) return s;
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 0x25) {
      if (i + 2 >= bytes.length) throw new UriSyntax(`${CANNOT_PARSE}: ${maskUrlPassword(whole)}`);
      const hex = String.fromCharCode(bytes[i + 1], bytes[i + 2]);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new UriSyntax(`${CANNOT_PARSE}: ${maskUrlPassword(whole)}`);
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c);
  }
  return Buffer.from(out).toString('utf8');
}

/** URIish.cleanLeadingSlashes: `/C:/x` → `C:/x`; with a scheme, `/~user/x` → `~user/x`. */
function cleanLeadingSlashes(p: string, scheme: string | undefined): string {
  if (p.length >= 3 && p[0] === '/' && p[2] === ':' && /[A-Za-z]/.test(p[1])) return p.slice(1);
  if (scheme !== undefined && p.length >= 2 && p[0] === '/' && p[1] === '~') return p.slice(1);
  return p;
}

const opt = (s: string | undefined): string | undefined => (s === undefined ? undefined : s);

/**
 * Parse a url/adminUrl/pushurl value exactly as `new URIish(value)` does.
 * `null` (a key written without `=`) and "" are what JGit calls "The uri was empty or null".
 */
export function parseUrl(raw: string | null | undefined): UrlParse {
  if (raw === null || raw === undefined || raw === '') return { ok: false, error: `${CANNOT_PARSE}: The uri was empty or null` };
  try {
    return parseOrThrow(raw);
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

function parseOrThrow(s: string): ParsedUrl {
  let m = SINGLE_SLASH_FILE_URI.exec(s);
  if (m) {
    const rawPath = cleanLeadingSlashes(m[2], m[1]);
    return { ok: true, form: 'file-single-slash', scheme: m[1], port: -1, rawPath, path: unescape(rawPath, s)! };
  }
  m = FULL_URI.exec(s);
  if (m) {
    const scheme = m[1];
    const portString = m[5];
    let host: string | undefined;
    let port = -1;
    let rawPath: string;
    // JGit keeps `file://D:/path` as a path rather than a host "D" with an empty port.
    if (scheme === 'file' && portString === '') {
      rawPath = cleanLeadingSlashes((m[4] ?? '') + ':' + portString + (m[6] ?? '') + (m[7] ?? ''), scheme);
    } else {
      host = unescape(opt(m[4]), s);
      if (portString !== undefined && portString.length > 0) {
        port = Number(portString);
        // Integer.parseInt throws NumberFormatException (not a URISyntaxException) past 2^31-1.
        if (port > 2147483647) throw new UriSyntax(`For input string: "${portString}" (port out of range)`);
      }
      rawPath = cleanLeadingSlashes((m[6] ?? '') + (m[7] ?? ''), scheme);
    }
    return {
      ok: true,
      form: 'url',
      scheme,
      user: unescape(opt(m[2]), s),
      password: unescape(opt(m[3]), s),
      host,
      port,
      rawPath,
      path: unescape(rawPath, s)!,
    };
  }
  m = RELATIVE_SCP_URI.exec(s) ?? ABSOLUTE_SCP_URI.exec(s);
  if (m) return { ok: true, form: 'scp', user: opt(m[1]), password: opt(m[2]), host: m[3], port: -1, rawPath: m[4], path: m[4] };
  m = LOCAL_FILE.exec(s);
  if (m) return { ok: true, form: 'local', port: -1, rawPath: m[1], path: m[1] };
  throw new UriSyntax(`${CANNOT_PARSE}: ${maskUrlPassword(s)}`);
}

// ---- Printing (URIish.toString / toPrivateString) ----

const RESERVED = new Set('!*\'();:@&=+$,/?#[]'.split('').map((c) => c.charCodeAt(0)));

function escape(s: string, reserved: boolean): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    if (b <= 32 || b === 0x25 || (reserved && RESERVED.has(b))) out += '%' + b.toString(16).padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  // Non-ASCII bytes were copied one by one: re-decode them as UTF-8.
  return Buffer.from(out, 'latin1').toString('utf8');
}

/**
 * The URL as JGit prints it. Without `includePassword` (the default) a password is left out,
 * so the result is safe for logs and plan output.
 */
export function formatUrl(u: ParsedUrl, opts: { includePassword?: boolean } = {}): string {
  let r = '';
  if (u.scheme !== undefined) r += u.scheme + '://';
  if (u.user !== undefined) {
    r += escape(u.user, true);
    if (opts.includePassword && u.password !== undefined) r += ':' + escape(u.password, true);
  }
  if (u.host !== undefined) {
    if (u.user !== undefined && u.user.length > 0) r += '@';
    r += escape(u.host, false);
    if (u.scheme !== undefined && u.port > 0) r += ':' + u.port;
  }
  if (u.scheme !== undefined) {
    if (!u.path.startsWith('/') && u.path !== '') r += '/';
    r += u.rawPath;
  } else {
    if (u.host !== undefined) r += ':';
    r += u.path;
  }
  return r;
}

// ---- ${name} and remoteNameStyle (Destination.getURI) ----

export const NAME_PLACEHOLDER = '${name}';

export const REMOTE_NAME_STYLES = ['slash', 'dash', 'underscore', 'basenameOnly'] as const;
export type RemoteNameStyle = (typeof REMOTE_NAME_STYLES)[number];

/** True when the plugin knows the style. The comparison is case-sensitive (`Dash` is unknown). */
export function isKnownRemoteNameStyle(style: string): style is RemoteNameStyle {
  return (REMOTE_NAME_STYLES as readonly string[]).includes(style);
}

/**
 * The project name as it goes into `${name}`: slash keeps it, dash/underscore replace every
 * `/`, basenameOnly keeps the last segment without its extension (Guava
 * Files.getNameWithoutExtension). Unknown styles (any other spelling) fall back to slash.
 */
export function applyRemoteNameStyle(name: string, style: string | undefined): string {
  switch (style) {
    case 'dash':
      return name.split('/').join('-');
    case 'underscore':
      return name.split('/').join('_');
    case 'basenameOnly': {
      const trimmed = name.replace(/\/+$/, ''); // java.io.File drops trailing separators
      const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
      const dot = base.lastIndexOf('.');
      return dot < 0 ? base : base.slice(0, dot);
    }
    default:
      return name;
  }
}

/** Only http, https and amazon-s3 URLs get the project name escaped (case-insensitive scheme). */
export function needsUrlEscaping(url: ParsedUrl | string): boolean {
  const u = typeof url === 'string' ? parseUrl(url) : url;
  if (!u.ok || u.scheme === undefined) return false;
  const s = u.scheme.toLowerCase();
  return s === 'http' || s === 'https' || s === 'amazon-s3';
}

// Guava's urlPathSegmentEscaper keeps unreserved, sub-delims, ':' and '@'; Gerrit then puts '/' back.
const PATH_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/;

/** Destination.escape: percent-encode a project name for an http(s) path, keeping `/`. */
export function escapeProjectForUrl(name: string): string {
  let out = '';
  for (const ch of name) {
    if (PATH_SAFE.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Destination.replaceName: the first `${name}` only; null when it is missing and not optional. */
export function replaceName(path: string, name: string, keyIsOptional: boolean): string | null {
  const n = path.indexOf(NAME_PLACEHOLDER);
  if (n >= 0) return path.slice(0, n) + name + path.slice(n + NAME_PLACEHOLDER.length);
  return keyIsOptional ? path : null;
}

/** True when the URL's path (where Gerrit looks, after %XX decoding) holds `${name}`. */
export function hasNamePlaceholder(url: ParsedUrl): boolean {
  return url.path.includes(NAME_PLACEHOLDER);
}

export class UrlExpansionError extends Error {}

/**
 * The URL a project is pushed to, as the plugin computes it (Destination.getURI), printed as
 * JGit prints it. `singleProject` is the `${name}` exemption (see isSingleProjectMatch).
 * The password, if the template has one, is kept only with `includePassword`.
 * Throws UrlExpansionError when the template does not parse or lacks a required `${name}`.
 */
export function expandUrl(
  template: string,
  project: string,
  style: string = 'slash',
  opts: { singleProject?: boolean; includePassword?: boolean } = {},
): string {
  const u = parseUrl(template);
  if (!u.ok) throw new UrlExpansionError(`invalid URL '${template}': ${u.error}`);
  let name = project;
  if (needsUrlEscaping(u)) name = escapeProjectForUrl(name);
  name = applyRemoteNameStyle(name, style);
  const replaced = replaceName(u.path, name, opts.singleProject ?? false);
  if (replaced === null) throw new UrlExpansionError(`url '${formatUrl(u)}' lacks ${NAME_PLACEHOLDER} placeholder`);
  // Gerrit sets the decoded-and-replaced path as the raw path (setRawPath).
  const rawPath = replaced;
  let path = replaced;
  try {
    path = unescape(replaced, replaced)!;
  } catch {
    /* keep it raw, as a URISyntaxException here would surface only at push time */
  }
  return formatUrl({ ...u, rawPath, path }, { includePassword: opts.includePassword });
}

// ---- adminUrl classification (AdminApiFactory) ----

export const isRemoteUrl = (u: ParsedUrl): boolean => u.host !== undefined;

/** `gerrit+ssh://` (exactly, case-insensitive). */
export const isGerritSshUrl = (u: ParsedUrl): boolean => u.scheme?.toLowerCase() === 'gerrit+ssh';

/** Any scheme containing `gerrit+http` (gerrit+http, gerrit+https). */
export const isGerritHttpUrl = (u: ParsedUrl): boolean => u.scheme?.toLowerCase().includes('gerrit+http') ?? false;

/** Remote, and either a scheme containing "ssh" or scp-like `host:path`. */
export function isSshUrl(u: ParsedUrl): boolean {
  if (!isRemoteUrl(u)) return false;
  if (u.scheme !== undefined && u.scheme.toLowerCase().includes('ssh')) return true;
  return u.scheme === undefined && u.host !== undefined;
}

/** How the plugin would create/delete repositories and set HEAD through this URL. */
export type AdminKind = 'gerrit-ssh' | 'gerrit-http' | 'local' | 'ssh' | 'none';

export function adminKind(u: ParsedUrl): AdminKind {
  if (isGerritSshUrl(u)) return 'gerrit-ssh';
  if (!isRemoteUrl(u)) return 'local';
  if (isSshUrl(u)) return 'ssh';
  if (isGerritHttpUrl(u)) return 'gerrit-http';
  return 'none';
}

// ---- insteadOf (JGit RemoteConfig applies `url.<base>.insteadOf` from the same file) ----

export interface InsteadOfRule {
  base: string;
  prefix: string;
}

/** The longest matching `insteadOf` prefix wins, as in git and JGit. */
export function applyInsteadOf(url: string, rules: InsteadOfRule[]): string {
  let best: InsteadOfRule | undefined;
  for (const r of rules) if (r.prefix !== '' && url.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  return best ? best.base + url.slice(best.prefix.length) : url;
}

// ---- Safety (the engine runs real git with these) ----

/** The URL text with any password replaced by `***`, for messages, outlines and logs. */
export function maskUrlPassword(raw: string): string {
  return maskSecrets(raw);
}

/**
 * Why git must not be given this URL, or undefined. JGit would read `ext::cmd` as a local
 * path, but real git runs the command, and a leading `-` would be read as an option.
 */
export function unsafeUrlReason(url: string): string | undefined {
  if (url.startsWith('-')) return 'it starts with "-", which git would read as an option';
  const transport = /^([A-Za-z][A-Za-z0-9+.-]*)::/.exec(url);
  if (transport) return `it uses git's "${transport[1]}::" remote-helper syntax, which runs a program`;
  if (/[\0\n\r]/.test(url)) return 'it contains a control character';
  return undefined;
}

// ---- Taking credentials out of a URL (the move-to-secure.config quick fix) ----

const FULL_URI_D = new RegExp(FULL_URI.source, 'd');
const SCP_URIS_D = [new RegExp(RELATIVE_SCP_URI.source, 'd'), new RegExp(ABSOLUTE_SCP_URI.source, 'd')];

/**
 * The URL text with its password removed (and its user too unless `keepUser`), cut out of
 * the text as written so everything else stays byte for byte. Undefined when the URL has no
 * password in a form we can cut out (the caller then offers no edit).
 */
export function urlWithoutPassword(raw: string, keepUser: boolean): string | undefined {
  const cut = (userGroup: [number, number] | undefined, passGroup: [number, number] | undefined) => {
    if (!userGroup || !passGroup) return undefined;
    // The password group ends right before '@'.
    return keepUser ? raw.slice(0, userGroup[1]) + raw.slice(passGroup[1]) : raw.slice(0, userGroup[0]) + raw.slice(passGroup[1] + 1);
  };
  // Same order as parseUrl: single-slash file URLs have no user part.
  if (SINGLE_SLASH_FILE_URI.test(raw)) return undefined;
  const full = FULL_URI_D.exec(raw);
  if (full) return cut(full.indices?.[2], full.indices?.[3]);
  for (const re of SCP_URIS_D) {
    const m = re.exec(raw);
    if (m) return cut(m.indices?.[1], m.indices?.[2]);
  }
  return undefined;
}
