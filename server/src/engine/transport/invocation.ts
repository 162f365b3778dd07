// How git is run against one URL: the environment, the -c options and how the URL is shown.
// Credentials never go on the command line or into a URL that could be printed; SSH never
// accepts an unknown host key; no inherited GIT_* variable or user/system git config can
// change what git does.
import { redactSecrets } from '../../service/secrets';
import { credentialHelper } from './credentialHelper';
import { controlledHome, removePrivateDir } from './privateDirs';
import { OWNER_VAR, ownerMark } from './gitOwner';
import { parseGitUrl, stripUserInfo } from './gitUrl';
// GIT_ALLOW_PROTOCOL: everything else (ext::, fd::, remote helpers) is refused by git too.
import { ALLOWED_PROTOCOLS, validateRemoteUrl } from './safety';
import { gitSshCommand, SshOptions } from './ssh';

export interface Credentials {
  username: string;
  password: string;
}

export interface GitInvocation {
  /** A clean, explicit environment for the git process. */
  env: Record<string, string>;
  /** Extra `-c key=value` arguments, as argv words (`['-c', 'k=v', …]`); never carrying secrets. */
  configArgs: string[];
  /** The same settings as `key=value` strings, for simple-git's `config` option. */
  config: string[];
  /** simple-git's `unsafe` flags this environment needs (it blocks GIT_SSH_COMMAND etc. by default). */
  unsafe: Record<string, boolean>;
  /** The URL to hand to git (credentials are passed out of band, never embedded). */
  url: string;
  /** The URL safe to print: user info and secrets removed. */
  displayUrl: string;
  /** Every secret this invocation knows of; pass to redact() before showing git's output. */
  secrets: string[];
  /** Removes any temporary files (credential helper) created for this invocation. */
  cleanup(): void;
}

export interface TransportOptions extends SshOptions {
  /** HTTP(S) basic-auth credentials (secure.config remote.NAME.username/password). */
  credentials?: Credentials;
  /** Extra secrets to redact from any output. */
  secrets?: string[];
  /**
   * Repositories owned by another user that git may read (`-c safe.directory=…`), e.g. a
   * gitolite or Gerrit site run by its own account while the admin runs the CLI.
   */
  safeDirectories?: string[];
  /** CA bundle for HTTPS servers whose certificate the system store does not vouch for. */
  sslCaInfo?: string;
}


/** Strip user:password@ from a URL for display. */
export function displayUrl(url: string): string {
  return stripUserInfo(url);
}

/** The environment every git process gets; nothing is inherited except PATH. */
export function cleanGitEnv(extra: Record<string, string> = {}): Record<string, string> {
  // Marks the child as ours (gitOwner.ts), so a daemon restarted after a kill -9 can end it.
  const mark = ownerMark();
  return {
    ...(mark ? { [OWNER_VAR]: mark } : {}),
    PATH: process.env.PATH || '/usr/local/bin:/usr/bin:/bin',
    HOME: controlledHome(),
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: ALLOWED_PROTOCOLS,
    ...extra,
  };
}

export function prepareGit(url: string, opts: TransportOptions = {}): GitInvocation {
  const parsed = validateRemoteUrl(url);
  const secrets = [...(opts.secrets ?? [])].filter((s) => s);
  const config: string[] = [];
  let gitUrl = url;
  let dir: string | undefined;
  let credentials = opts.credentials;

  if (parsed.password) secrets.push(parsed.password);
  if (parsed.rawUserInfo && parsed.password) secrets.push(parsed.rawUserInfo.slice(parsed.rawUserInfo.indexOf(':') + 1));
  if (credentials?.password) secrets.push(credentials.password);

  if (parsed.kind === 'http') {
    // User info in an http(s) URL moves out of band; git would otherwise print it.
    if (parsed.userInfoSpan) {
      if (!credentials && parsed.user !== undefined) credentials = { username: parsed.user, password: parsed.password ?? '' };
      // secure.config may hold only the password, the user being written in the URL.
      else if (credentials && !credentials.username && parsed.user) credentials = { ...credentials, username: parsed.user };
      gitUrl = url.slice(0, parsed.userInfoSpan[0]) + url.slice(parsed.userInfoSpan[1]);
    }
    if (credentials) {
      const hostPort = (parsed.host!.includes(':') ? `[${parsed.host}]` : parsed.host!) + (parsed.port ? `:${parsed.port}` : '');
      const h = credentialHelper(parsed.scheme!, hostPort, credentials);
      dir = h.dir;
      config.push(...h.config);
    }
    if (opts.sslCaInfo) config.push(`http.sslCAInfo=${opts.sslCaInfo}`);
    if (opts.timeout && opts.timeout > 0) {
      // No connect timeout knob in git's http; abort transfers that stall this long.
      config.push('http.lowSpeedLimit=1', `http.lowSpeedTime=${Math.ceil(opts.timeout)}`);
    }
  } else if (parsed.kind === 'ssh' && parsed.password !== undefined && parsed.userInfoSpan) {
    // ssh never uses a password from the URL; drop it rather than let git print it.
    gitUrl = url.slice(0, parsed.userInfoSpan[0]) + (parsed.rawUserInfo!.split(':')[0]) + '@' + url.slice(parsed.userInfoSpan[1]);
  }

  for (const d of opts.safeDirectories ?? []) config.push(`safe.directory=${d}`);

  const env = cleanGitEnv({ GIT_SSH_COMMAND: gitSshCommand(opts), GIT_SSH_VARIANT: 'ssh' });
  const uniqueSecrets = [...new Set(secrets)];
  return {
    env,
    configArgs: config.flatMap((c) => ['-c', c]),
    config,
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeConfigPaths: true, allowUnsafeCredentialHelper: true },
    url: gitUrl,
    displayUrl: redact(displayUrl(url), uniqueSecrets),
    secrets: uniqueSecrets,
    cleanup: () => {
      if (dir) {
        removePrivateDir(dir);
        dir = undefined;
      }
    },
  };
}

/**
 * Splits a password written into a URL (`https://user:pw@host/…`) off the URL, keeping the
 * user. A site loader stores only the result, so the password never reaches listings, the
 * task store or the editor; it travels as credentials instead.
 */
export function withoutUrlPassword(url: string): { url: string; username?: string; password?: string } {
  const p = parseGitUrl(url);
  if (p.password === undefined || !p.userInfoSpan || !p.rawUserInfo) return { url };
  const rawUser = p.rawUserInfo.slice(0, p.rawUserInfo.indexOf(':'));
  return {
    url: url.slice(0, p.userInfoSpan[0]) + (rawUser ? `${rawUser}@` : '') + url.slice(p.userInfoSpan[1]),
    username: p.user,
    password: p.password,
  };
}

/**
 * Replace every secret in `text` (as written, or percent-encoded as in a URL) with `***`, and
 * any password left in a URL's user info: the shared mask (service/secrets.ts).
 */
export function redact(text: string, secrets: Array<string | undefined>): string {
  return redactSecrets(text, secrets);
}

/** parseGitUrl, re-exported for callers that only import the transport. */
export { parseGitUrl };
