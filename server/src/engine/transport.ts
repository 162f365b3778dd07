// How git is run against one URL: the environment, the -c options and how the URL is shown.
// Credentials never go on the command line or into a URL that could be printed; SSH never
// accepts an unknown host key. (The transports helper owns this file; this is the contract.)

export interface Credentials {
  username: string;
  password: string;
}

export interface GitInvocation {
  /** A clean, explicit environment for the git process. */
  env: Record<string, string>;
  /** Extra `-c key=value` arguments (never carrying secrets). */
  configArgs: string[];
  /** The URL to hand to git (credentials are passed out of band, never embedded). */
  url: string;
  /** The URL safe to print: user info and secrets removed. */
  displayUrl: string;
  /** Removes any temporary files (askpass helpers) created for this invocation. */
  cleanup(): void;
}

export interface TransportOptions {
  credentials?: Credentials;
  /** known_hosts file for SSH; unknown host keys are refused. */
  knownHosts?: string;
  /** SSH identity file. */
  identityFile?: string;
  /** Extra secrets to redact from any output. */
  secrets?: string[];
}

/** Strip user:password@ from a URL for display. */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

export function prepareGit(url: string, opts: TransportOptions = {}): GitInvocation {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C',
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  void opts;
  return { env, configArgs: [], url, displayUrl: displayUrl(url), cleanup: () => {} };
}

/** Replace every secret in `text` with `***`. */
export function redact(text: string, secrets: Array<string | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 1) out = out.split(s).join('***');
  return out;
}
