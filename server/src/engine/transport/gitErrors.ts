// Sorts git's (already redacted) stderr from a failed push into the cases Gerrit's
// replication treats differently: a missing remote repository (create it, if
// createMissingRepositories), a host key or authentication failure, a connection failure
// (transport errors are retried after replicationRetry), a timeout, or something else.
// The patterns were taken from real git 2.39 runs against file paths, sshd and http-backend.

export type GitFailureKind = 'missing-repository' | 'host-key' | 'authentication' | 'connection' | 'timeout' | 'other';

const RULES: Array<[GitFailureKind, RegExp]> = [
  ['host-key', /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known for/],
  ['authentication', /Authentication failed for|could not read (Username|Password) for|Permission denied \(|HTTP Basic: Access denied|The requested URL returned error: 40[13]/],
  [
    'missing-repository',
    // git (file, ssh), http-backend (404), and the texts Gerrit's plugin also looks for.
    /does not appear to be a git repository|repository '[^']*' not found|Repository not found|Git repository not found|no such repository|not a git repository/i,
  ],
  ['timeout', /timed out|Operation too slow|Connection timed out/i],
  ['connection', /SSL certificate problem|server certificate verification failed|Could not resolve host|Could not resolve hostname|Connection refused|Connection reset|No route to host|Network is unreachable|Failed to connect to|Connection closed by|unable to access '|The remote end hung up unexpectedly|Could not read from remote repository/i],
];

export function classifyGitFailure(stderr: string): GitFailureKind {
  for (const [kind, re] of RULES) if (re.test(stderr)) return kind;
  return 'other';
}
