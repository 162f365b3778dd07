// HTTP(S) credentials out of band: a git credential helper that answers from a 0600 file in a
// private directory, scoped by git config to one scheme and host.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir } from './privateDirs';
import { shellQuote } from './ssh';
import type { Credentials } from './invocation';

function checkCredential(c: Credentials): void {
  // The credential protocol is line based: a newline would let a value forge another field.
  if (/[\n\r\0]/.test(c.username) || /[\n\r\0]/.test(c.password)) {
    throw new Error('credentials must not contain newline or NUL characters');
  }
}

/**
 * Writes a credential helper and its answer into a private directory. The helper only `cat`s
 * a 0600 file, so the password is in no process's argv or environment. Returns the git config
 * that scopes the helper to this URL's scheme and host, after clearing any other helper.
 */
export function credentialHelper(scheme: string, hostPort: string, c: Credentials): { dir: string; config: string[] } {
  checkCredential(c);
  const dir = makePrivateDir('cred');
  const answer = join(dir, 'answer');
  writeFileSync(answer, `username=${c.username}\npassword=${c.password}\n`, { mode: 0o600 });
  const helper = join(dir, 'helper');
  writeFileSync(
    helper,
    `#!/bin/sh\n# git credential helper: answers "get" only; "store" and "erase" are ignored.\ncat >/dev/null\n[ "$1" = get ] || exit 0\nexec cat ${shellQuote(answer)}\n`,
    { mode: 0o700 },
  );
  return {
    dir,
    config: [
      // An empty value resets the helper list, so no helper from a repository's config runs.
      'credential.helper=',
      `credential.${scheme}://${hostPort}.helper=!${shellQuote(helper)}`,
      'credential.useHttpPath=false',
    ],
  };
}
