// The quick fix for `url-password`: take the credentials out of the url and put them in the
// site's etc/secure.config as remote.NAME.username/password, in one edit.
//
// Which parts move (JGit as the plugin drives it, with the CredentialsProvider built from
// secure.config — missing keys are empty strings):
// - http(s)/ftp: JGit sends user:password from the url only when both are there; otherwise
//   it asks the provider, which answers secure.config's username AND password and never
//   looks at the url's user. A user left alone in the url would be ignored, so both move.
// - SSH (ssh://, anything with "ssh" in the scheme, scp-like host:path): the login name is
//   the url's user; the provider only answers the password prompt. The user stays.
// - any other scheme never uses the credentials; they move as for http.
//
// The fix is computed when the editor asks for code actions, not stored with the diagnostic:
// its edit holds the password, and diagnostics are published to (and kept by) every client.
import type { Diagnostic } from 'vscode-languageserver';
import { Entry, LineIndex, ParsedConfig } from '../../gitconfig/parser';
import type { ServiceContext } from '../../service/types';
import { insteadOfRulesOf } from '../checks/checkUrls';
import type { Fix } from '../context';
import { setRemoteKeys } from './secureEdit';
import { applyInsteadOf, isSshUrl, parseUrl, urlWithoutPassword } from '../uri';
import type { Analysis } from '../analysis';

interface UrlCredentials {
  user: string;
  password: string;
  /** SSH: the user stays in the url and only the password moves. */
  keepUser: boolean;
  /** The url as it should read afterwards. */
  url: string;
}

/**
 * java.net.URLDecoder as JGit's TransportHttp applies it to the url's (already unescaped)
 * user and password, with `+` kept. Undefined where it throws (JGit then sends no
 * credentials from the url at all).
 */
function httpDecode(s: string): string | undefined {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '%') {
      bytes.push(...Buffer.from(s[i], 'utf8'));
      continue;
    }
    const hex = s.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
    bytes.push(parseInt(hex, 16));
    i += 2;
  }
  return Buffer.from(bytes).toString('utf8');
}

export function urlCredentials(raw: string): UrlCredentials | undefined {
  const u = parseUrl(raw);
  if (!u.ok || u.password === undefined || u.user === undefined) return undefined;
  const keepUser = isSshUrl(u);
  let { user, password } = u;
  if (/^https?$|^ftp$/i.test(u.scheme ?? '')) {
    // What JGit sends today. When its second decode fails it sends nothing from the url; the
    // once-decoded text is then the only sensible reading of what the admin meant.
    const du = httpDecode(user);
    const dp = httpDecode(password);
    if (du !== undefined && dp !== undefined) [user, password] = [du, dp];
  }
  const url = urlWithoutPassword(raw, keepUser);
  if (url === undefined) return undefined;
  // Only the credentials may change: the host, port and path must read the same.
  const after = parseUrl(url);
  if (!after.ok || after.password !== undefined || after.host !== u.host || after.port !== u.port || after.path !== u.path) return undefined;
  if (after.user !== (keepUser ? u.user : undefined)) return undefined;
  return { user, password, keepUser, url };
}

/** The `url` entry a diagnostic points at, and the remote it belongs to. */
function urlEntryAt(doc: Analysis['doc'], parsed: ParsedConfig, d: Diagnostic, fanoutRemote: string | undefined) {
  const start = doc.offsetAt(d.range.start);
  const end = doc.offsetAt(d.range.end);
  for (const s of parsed.sections) {
    if (s.name !== 'remote' || s.legacy || s.broken) continue;
    // A fan-out file names its remote by the file name, in a bare [remote] section.
    const name = fanoutRemote !== undefined ? (s.subsection === null ? fanoutRemote : undefined) : s.subsection ?? undefined;
    if (name === undefined) continue;
    for (const e of s.entries) {
      const span = e.valueSpan ?? e.keySpan;
      if (e.key === 'url' && span.start === start && span.end === end) return { e, name };
    }
  }
  return undefined;
}

/** Every url of the remote (blocks with the same name merge). */
function remoteUrls(parsed: ParsedConfig, name: string, fanout: boolean): Entry[] {
  return parsed.sections
    .filter((s) => s.name === 'remote' && !s.legacy && !s.broken && (fanout ? s.subsection === null : s.subsection === name))
    .flatMap((s) => s.entries.filter((e) => e.key === 'url'));
}

export function movePasswordFix(a: Analysis, d: Diagnostic, ctx: ServiceContext): Fix | undefined {
  const { doc, kind, site, parsed } = a;
  if (kind === 'secure') return undefined;
  // Remotes of replication.config are dropped while etc/replication/ exists; secure.config's
  // blocks then belong to the fan-out remotes, one of which may have this very name.
  if (kind === 'replication' && ctx.ws.stat(site.fanoutDir)?.isDirectory) return undefined;
  const text = parsed.text;
  const at = urlEntryAt(doc, parsed, d, site.fanoutRemote);
  if (!at || !at.e.valueSpan || at.e.value === null) return undefined;
  const { e, name } = at;
  const vs = at.e.valueSpan;
  // Quoted or escaped values, and urls rewritten by insteadOf, are left to the user.
  if (text.slice(vs.start, vs.end) !== e.value) return undefined;
  if (applyInsteadOf(e.value, insteadOfRulesOf(parsed)) !== e.value) return undefined;
  const creds = urlCredentials(e.value);
  if (!creds) return undefined;
  // secure.config holds one set of credentials per remote: another url of it with other
  // credentials would make the move change what that url sends.
  for (const o of remoteUrls(parsed, name, kind === 'fanout')) {
    if (o === e || o.value === null) continue;
    const other = urlCredentials(o.value);
    if (other && (other.password !== creds.password || (!creds.keepUser && other.user !== creds.user))) return undefined;
  }
  const keys: Array<[string, string]> = creds.keepUser ? [['password', creds.password]] : [['username', creds.user], ['password', creds.password]];
  const secureText = ctx.ws.read(site.secureConfig);
  // There but unreadable (another user's 600 file): we cannot merge into it.
  if (secureText === undefined && ctx.ws.stat(site.secureConfig) !== undefined) return undefined;
  const sec = setRemoteKeys(secureText, name, keys);
  if (!sec) return undefined;
  const idx = new LineIndex(secureText ?? '');
  const what = creds.keepUser ? 'the password' : 'the user name and password';
  const replacing = sec.replaced.length > 0 ? ` (replacing the ${sec.replaced.map((k) => (k === 'username' ? 'user name' : k)).join(' and ')} there)` : '';
  return {
    title: `Move ${what} to secure.config${replacing}`,
    preferred: true,
    edits: [{ range: { start: doc.positionAt(vs.start), end: doc.positionAt(vs.end) }, newText: creds.url }],
    otherFile: {
      path: site.secureConfig,
      create: secureText === undefined,
      edits: sec.changes.map((c) => ({ range: { start: idx.position(c.start), end: idx.position(c.end) }, newText: c.newText })),
    },
  };
}
