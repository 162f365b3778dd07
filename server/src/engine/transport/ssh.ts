// The one place that decides how ssh is run, for git pushes (GIT_SSH_COMMAND) and for the
// admin commands alike: never prompt, never accept or record an unknown host key.

export interface SshOptions {
  /** known_hosts file; when given, it is the only source of host keys. */
  knownHosts?: string;
  /** Identity (private key) file; when given, no other key is offered. */
  identityFile?: string;
  /**
   * ssh_config file (`-F`); 'none' reads no config file. Unset: $GIT_REPLICATION_SSH_CONFIG
   * when that is set (e.g. in a daemon's service unit), else the user's ~/.ssh/config.
   */
  sshConfig?: string;
  /** Connect timeout in seconds (Gerrit's remote.NAME.timeout); 0 or unset = ssh's default. */
  timeout?: number;
}

/** ssh splits option values on white space; a quoted path stays one file. */
function sshPath(p: string): string {
  if (p.includes('"')) throw new Error(`unsupported character '"' in ssh file path ${p}`);
  return /\s/.test(p) ? `"${p}"` : p;
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * ssh options, in order. Command-line `-o` options win over any config file, so the user's
 * ssh config can still supply HostName/User/Port/IdentityFile for aliases, but it cannot turn
 * host key checking off or make ssh prompt.
 */
export function sshOptionArgs(o: SshOptions): string[] {
  const a: string[] = [];
  const config = o.sshConfig ?? (process.env.GIT_REPLICATION_SSH_CONFIG || undefined);
  if (config) a.push('-F', config);
  a.push(
    '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes',
    // Refuse silently learning rotated keys too: the known_hosts file must stay as the admin wrote it.
    '-o', 'UpdateHostKeys=no',
    '-o', 'PasswordAuthentication=no',
    '-o', 'KbdInteractiveAuthentication=no',
  );
  if (o.knownHosts) a.push('-o', `UserKnownHostsFile=${sshPath(o.knownHosts)}`, '-o', 'GlobalKnownHostsFile=/dev/null');
  if (o.identityFile) a.push('-i', o.identityFile, '-o', 'IdentitiesOnly=yes');
  if (o.timeout && o.timeout > 0) a.push('-o', `ConnectTimeout=${Math.ceil(o.timeout)}`);
  return a;
}

/** The GIT_SSH_COMMAND value (git runs it through `sh -c`, so every word is quoted). */
export function gitSshCommand(o: SshOptions): string {
  return ['ssh', ...sshOptionArgs(o)].map(shellQuote).join(' ');
}
