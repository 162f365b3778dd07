// Every diagnostic the replication module can report: a stable code, its default severity and
// what it is about. Severity follows one rule: error = the plugin refuses to load the file or
// rejects the value; warning = it loads but silently does something other than what is
// written; info/hint = worth knowing. Users can override severities by code (service/diagnostics.ts).
import { DiagnosticSeverity } from '../../service/lspConstants';
import type { Rule } from '../../service/diagnostics';

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;
const H = DiagnosticSeverity.Hint;

export const RULES = {
  // git-config syntax
  syntax: { severity: E, description: 'a line git or JGit cannot read: the message says which; where JGit throws (its text quoted), the plugin does not load' },
  'header-trailing-text': { severity: W, description: 'text after `]` on a section header line: git reads it as a key, JGit ignores it' },
  'key-starts-with-digit': { severity: E, description: 'a key starting with a digit (`2threads`): git rejects the file, JGit ignores the key' },
  'bare-key-comment': { severity: E, description: 'a key without `=` followed by a comment: git rejects it, JGit reads no value (the default)' },
  'key-outside-section': { severity: E, description: 'a key before the first section: JGit fails with "Invalid line in config file"' },
  'legacy-subsection': { severity: W, description: '`[remote.name]`: JGit reads a section literally named "remote.name", the plugin never sees it' },
  'empty-config': { severity: I, description: 'no sections: "Replication config does not exist or it\'s empty; not replicating"' },

  // sections and keys
  'unknown-section': { severity: W, description: 'a section the plugin never reads (with a did-you-mean)' },
  'unknown-key': { severity: W, description: 'a key the plugin never reads (with a did-you-mean)' },
  'misplaced-key': { severity: W, description: 'a key that belongs in another file (credentials in replication.config, urls in secure.config)' },
  'key-not-read-here': { severity: W, description: 'a key this kind of file cannot set (gerrit.autoReload in a fan-out file)' },
  'unused-key': { severity: W, description: 'parsed by JGit but never used by the plugin (pushurl, tagopt, pushInsteadOf)' },
  'branch-only-key': { severity: I, description: 'read only by some plugin versions (e.g. urlDistributionStrategy on stable-3.11)' },
  'remote-without-name': { severity: W, description: 'a bare `[remote]` in replication.config: only named remotes are read' },
  'duplicate-remote': { severity: W, description: 'the same `[remote "x"]` twice: blocks merge, lists add up, single values take the last' },
  'repeated-key': { severity: W, description: 'a single-valued key set more than once: the last value wins' },

  // values
  'invalid-int': { severity: E, description: 'not a JGit integer (`15s`): "Invalid integer value", the plugin does not load' },
  'int-out-of-range': { severity: E, description: 'outside Java int: "Integer value … out of range", the plugin does not load' },
  'int-multiplier': { severity: W, description: 'a k/m/g suffix multiplies by 1024ⁿ (`1m` = 1,048,576)' },
  'invalid-bool': { severity: E, description: 'not a JGit boolean: "Invalid boolean value", the plugin does not load' },
  'invalid-duration': { severity: E, description: 'not a Gerrit time value: "Invalid time unit value", the plugin does not load' },
  'bare-milliseconds': { severity: W, description: 'a bare number in a milliseconds key (gerrit.sshConnectionTimeout = 30 is 30 ms)' },
  'below-floor': { severity: W, description: 'below the plugin\'s minimum: raised (rescheduleDelay 1 → 3, negative delays → 0)' },
  'negative-value': { severity: W, description: 'a negative value with a special meaning (replicationMaxRetries < 0 cancels on first failure)' },
  'invalid-enum': { severity: W, description: 'an unknown value of a case-sensitive enum: the plugin falls back to the default' },
  'invalid-project-pattern': { severity: E, description: 'a projects/excludeProjects regex that does not compile: it throws when a project is matched' },
  'literal-project-pattern': { severity: W, description: 'a project pattern that looks like a regex or glob but is matched as an exact name' },
  'invalid-excluded-refs-pattern': { severity: W, description: 'excludedRefsPattern does not compile: "Invalid excludedRefsPattern … is ignored"' },

  // urls
  'invalid-url': { severity: E, description: 'url/pushurl JGit cannot parse: "remote X has invalid URL", the plugin does not load' },
  'missing-name': { severity: E, description: 'url without `${name}` in its path (and not a single-project remote): the plugin does not load' },
  'repeated-name': { severity: W, description: 'a second `${name}` in a url: only the first is replaced' },
  'url-parsed-as-local': { severity: W, description: 'looks like a URL but JGit reads a local path (upper-case scheme, one-letter host)' },
  'url-password': { severity: W, description: 'a password inside a url: it belongs in secure.config' },
  'unsafe-url': { severity: W, description: 'a url git would run as a command or read as an option (`ext::`, leading `-`): git-replication refuses it' },
  'admin-url-invalid': { severity: W, description: 'adminUrl JGit cannot parse: skipped with a warning, url is used' },
  'admin-url-missing-name': { severity: W, description: 'SSH adminUrl without `${name}`: skipped ("does not contain ${name}"), url is used' },
  'admin-url-unsupported': { severity: W, description: 'adminUrl neither SSH nor gerrit+ssh/gerrit+http: skipped ("only SSH and HTTP are supported")' },
  'gerrit-ssh-port': { severity: I, description: 'gerrit+ssh adminUrl without a port: give :29418 explicitly' },

  // refspecs
  'invalid-refspec': { severity: E, description: 'JGit rejects the refspec ("Invalid refspec", "Invalid wildcards"): the plugin does not load' },
  'refspec-bad-ref-name': { severity: W, description: 'loads, but git check-ref-format rejects the name (`..`, `~`, `^`, `:`…): the push fails' },
  'refspec-deletes': { severity: W, description: 'an empty source (`:refs/heads/x`) deletes the remote ref on every push' },

  // remotes
  'remote-fetch-ignored': { severity: W, description: 'a remote with `fetch` is ignored: "Ignore \'NAME\' endpoint: not a \'push\' target"' },
  'remote-no-url': { severity: W, description: 'a remote without url is skipped silently' },
  'batch-with-distribution': { severity: W, description: 'pushBatchSize with replication.distributionInterval: batching is turned off' },

  // fan-out
  'fanout-remote-count': { severity: E, description: 'a fan-out file without exactly one `[remote]` line is skipped' },
  'fanout-subsection': { severity: E, description: 'a fan-out file with `[remote "x"]` is skipped ("cannot contain remote subsections")' },
  'fanout-other-section': { severity: I, description: 'other sections in a fan-out file are merged into replication.config' },
  'fanout-remote-ignored': { severity: W, description: 'remotes in replication.config are ignored when etc/replication/ exists' },

  // [include] (JGit's FileBasedConfig)
  'include-missing': { severity: W, description: 'an included file that does not exist (or is a directory or unreadable): JGit skips it silently' },
  'include-outside-site': { severity: W, description: 'an included file whose real path (symlinks resolved, `~/` expanded) is outside the Gerrit site: JGit reads it, check, the language server and the engine never do, so nothing in it is checked or quoted; the engine refuses the site (an error there), as it cannot know what Gerrit would read' },
  'include-not-regular': { severity: E, description: 'an included path that is a FIFO, a device or a socket: JGit blocks or fails reading it; it is never opened' },
  'include-too-deep': { severity: E, description: 'includes nested deeper than JGit\'s 10 levels (or circular): "Too many recursions", the plugin does not load' },
  'include-invalid': { severity: E, description: 'a key other than `path` in [include], or an included file JGit rejects: the plugin does not load' },
  'include-if-ignored': { severity: W, description: '[includeIf "…"]: JGit has no conditional includes, the file is never read' },
  'include-not-followed': { severity: W, description: '[include] in a fan-out file: the plugin parses fan-out files as text and never follows includes' },
  'include-remote-kept': { severity: W, description: 'with etc/replication/, remotes from files included by replication.config are not dropped (JGit keeps included lines)' },

  // secure.config
  'secure-unknown-remote': { severity: W, description: 'credentials for a remote that replication.config does not define' },
  'secure-other-section': { severity: H, description: 'a secure.config section the replication plugin does not read (Gerrit may)' },
  'secure-readable': { severity: W, description: 'secure.config is readable by group or others' },
} satisfies Record<string, Rule>;

export type RuleCode = keyof typeof RULES;
