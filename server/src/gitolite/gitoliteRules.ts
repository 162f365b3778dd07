// The rule table (after vscode-css-languageservice's lintRules): one stable code per check,
// its default severity and what it is about. Compile rules mirror a gitolite FATAL (error) or
// WARNING (warning) and their messages quote gitolite (LSP source `gitolite`); rc and mirror
// rules are ours, because gitolite checks nothing about mirroring when it compiles. The README's
// gitolite tables are generated from this one (`npm run docs`).
import { DiagnosticSeverity } from '../service/lspConstants';
import type { Rule } from '../service/diagnostics';

const E = DiagnosticSeverity.Error;
const W = DiagnosticSeverity.Warning;
const I = DiagnosticSeverity.Information;

/** gitolite itself says this when it compiles (src/lib/Gitolite/Conf*.pm). */
const compile = { group: 'compile', source: 'gitolite' } as const;
const rc = { group: 'rc' } as const;
const mirror = { group: 'mirror' } as const;
/** What gitolite accepts in silence although it cannot do what the line asks. */
const conf = { group: 'conf' } as const;
/** `check --hosts`: what several hosts must agree on (hostsCheck.ts). */
const hosts = { group: 'hosts' } as const;

export const GITOLITE_RULES = {
  // --- compile-equivalent ---
  'gl-syntax': { ...compile, severity: W, description: "a line gitolite cannot parse: `syntax error, ignoring: '<line>'`, and it skips the line" },
  'gl-undefined-group': { ...compile, severity: E, description: "a group used in a group definition or as a ref before it is defined: `undefined group '@x'`" },
  'gl-undeclared-group': { ...compile, severity: W, description: "a rule names a user group that is never defined: `possible undeclared group '@x'`" },
  'gl-bad-group': { ...compile, severity: E, description: "a group name that does not match REPONAME_PATT: `bad group '<lhs>'`" },
  'gl-bad-expansion': { ...compile, severity: E, description: "a group member that does not match REPOPATT_PATT: `bad expansion '<x>'`" },
  'gl-bad-reponame': { ...compile, severity: E, description: "a repo name or pattern with characters gitolite refuses: `bad reponame '<x>'`" },
  'gl-git-extension': { ...compile, severity: W, description: "a repo written with a `.git` ending, which gitolite drops: `explicit '.git' extension ignored for <x>.git`" },
  'gl-read-rule-ref': { ...compile, severity: W, description: "an `R` rule with a ref (refs are not checked for reads): `doesn't make sense to supply a ref ('<ref>') for 'R' rule`" },
  'gl-bad-username': { ...compile, severity: E, description: "a user name that does not match USERNAME_PATT (a trailing `\\` without continuation lines is one): `bad username '<u>'`" },
  'gl-bad-ref': { ...compile, severity: E, description: "a refex that does not match REPOPATT_PATT (an unexpanded %HOSTNAME is one): `bad ref '<ref>'`" },
  'gl-config-not-allowed': { ...compile, severity: E, description: "a `config` (or desc/owner/category) key that GIT_CONFIG_KEYS does not allow: `git config '<key>' not allowed` / `check GIT_CONFIG_KEYS in the rc file`" },
  'gl-bad-config-value': { ...compile, severity: E, description: "a config or option value matching UNSAFE_PATT: `bad config value '<v>'`; for mirror keys the message adds that the compiled conf is not updated" },
  'gl-include-unquoted': { ...compile, severity: E, description: "an include/subconf file or glob that is not quoted: `invalid include/subconf file/glob '<x>'`" },
  'gl-include-not-found': { ...compile, severity: W, description: "an included file that does not exist: `included file not found: '<f>'`" },
  'gl-include-outside': { ...compile, severity: W, description: 'an included file whose real path (symlinks resolved) is outside the conf directory: gitolite reads it, `check` and the language server do not, so nothing in it is checked or quoted' },
  'gl-include-not-regular': { ...compile, severity: W, description: 'an included path that is a FIFO, a device or a socket: gitolite reports it as not found; it is never opened' },
  'gl-include-bad-name': { ...compile, severity: E, description: "an included file whose name does not end in `.conf`: `invalid include/subconf filename '<f>'`" },
  'gl-include-repeated': { ...compile, severity: W, description: 'a file included twice (gitolite.conf itself counts as included): `<f> already included`' },
  'gl-subconf-nested': { ...compile, severity: E, description: "a subconf file that runs `subconf` itself: `subconf '<s>' attempting to run 'subconf'`" },
  'gl-subconf-bad-name': { ...compile, severity: E, description: "a subconf name that does not match `^[-\\w.]+$`: `bad subconf '<s>'`" },
  'gl-subconf-access': { ...compile, severity: W, description: "a subconf that sets access for repos it does not own, which gitolite ignores: `subconf '<s>' attempting to set access for …`" },
  'gl-subconf-expanding': { ...compile, severity: W, description: "a subconf names a group it does not own, so gitolite expands it member by member: `expanding '@g'; this *may* slow down compilation`" },
  'gl-v2-description': { ...compile, severity: W, description: "a gitolite v2 description line (`foo = \"desc\"`, `foo \"owner\" = \"desc\"`) under a v3 rc: `syntax error, ignoring: '<line>'`. v2 accepted it; the message gives the v3 form (`repo foo` / `desc = …` / `owner = …`) and says whether GIT_CONFIG_KEYS allows it, and a quick fix writes it" },
  'gl-v2-syntax': { ...compile, severity: E, description: "under a v2 rc, a line gitolite v2 cannot parse (v3's `option`, `desc`, `owner` and `category` lines are such lines): `can't make head or tail of '<line>'`, and v2 aborts the compile" },
  'gl-no-rules': { ...compile, severity: E, description: 'a conf without any access rule: gitolite 3.6.12–3.6.14 dies with `close rule_info file failed: Bad file descriptor`' },

  // --- accepted in silence ---
  'gl-option-no-repo': { ...conf, severity: W, description: 'a `config` or `option` line (or desc/owner/category) that applies to no repository: it comes before any `repo` line, follows a subconf `repo` line whose repos were all refused, or follows a `repo` line that names only groups never defined. gitolite compiles it and applies it nowhere' },

  // --- rc reader ---
  'gl-rc-unreadable': { ...rc, severity: I, description: 'an rc setting written in a way this reader does not evaluate (it never runs Perl): the checks that need it are skipped' },
  'gl-rc-outside': { ...rc, severity: W, description: 'the .gitolite.rc found for this conf is a symlink that leads out of its directory: it is not read, and the default rc is assumed' },
  'gl-rc-not-found': { ...rc, severity: I, description: "no .gitolite.rc at or above this gitolite.conf: gitolite's default rc is assumed" },
  'gl-lone-cr': { ...rc, severity: W, description: 'a lone carriage return in gitolite.conf or .gitolite.rc: gitolite (Perl readline) ends lines at \\n only, so the text after it belongs to the same line for gitolite though an editor shows a new line' },
  'gl-rc-v2-slave-mode': { ...rc, severity: E, description: 'a pre-2.1 mirroring setting (`$GL_SLAVE_MODE`, `GL_SLAVES`) that gitolite v2.1+ refuses to start with' },

  // --- mirroring (spec §1.2, M1–M15) ---
  'gl-mirror-mixed-dialect': { ...mirror, severity: W, description: 'a conf mixing v2 `config gitolite.mirror.*` lines and v3 `option mirror.*` lines' },
  'gl-mirror-v2-under-v3': { ...mirror, severity: W, description: "v2 `config gitolite.mirror.*` under a v3 rc that allows it: written to git config, ignored by the v3 trigger. When GIT_CONFIG_KEYS does not allow it, gitolite's own FATAL `git config 'gitolite.mirror.master' not allowed` is the diagnostic. Both carry a quick fix that rewrites the line as a v3 option (`slaves` → `copies`, redirectOK `true` → `all`), and one for the whole file" },
  'gl-mirror-v3-under-v2': { ...mirror, severity: E, description: '`option mirror.*` lines under a v2 rc: gitolite v2 does not know `option` lines' },
  'gl-mirror-v2-key-not-allowed': { ...mirror, severity: E, description: 'a v2 mirror key that `$GL_GITCONFIG_KEYS` does not cover' },
  'gl-mirror-no-hostname': { ...mirror, severity: W, description: 'in the rc: mirror options but no HOSTNAME, so mirroring does nothing and copies accept anyone\'s pushes. Placed on the commented-out `# HOSTNAME =>` line when there is one' },
  'gl-mirror-hostname-unknown': { ...mirror, severity: W, description: 'in the rc: HOSTNAME names no master or copy — with a did-you-mean and a quick fix (the v2 guide\'s `serer1`/`server1`): every mirrored repo would be "mirrored but not here"' },
  'gl-mirror-copies-without-master': { ...mirror, severity: W, description: 'a repo with copies but no master' },
  'gl-mirror-multiple-masters': { ...mirror, severity: W, description: 'a master value with several hosts, or a master overridden by a later line: the last one wins' },
  'gl-mirror-master-is-copy': { ...mirror, severity: W, description: 'a host that is both the master and a copy of a repo' },
  'gl-mirror-redirect-not-copy': { ...mirror, severity: W, description: 'redirectOK naming a host that is not a copy' },
  'gl-mirror-nosync': { ...mirror, severity: I, description: 'a nosync copy: gitolite never pushes to it by itself, it needs `gitolite mirror push`' },
  'gl-mirror-trigger-disabled': { ...mirror, severity: W, description: "in the rc: mirror options exist but `'Mirroring'` is not in ENABLE, so copies answer `DENIED by fallthru`" },
  'gl-mirror-empty-option': { ...mirror, severity: W, description: '`option mirror.master =` with no value: gitolite ignores the line, so it clears nothing; quick fix `= ""`' },
  'gl-mirror-unsafe-value': { ...mirror, severity: W, description: 'a mirror host name ssh could not use (a trailing comma in a v2 slaves list, quotes…): gitolite loads it, and only the push to that host fails (or, for a master, no host is the master). Values matching UNSAFE_PATT are gitolite\'s FATAL `gl-bad-config-value` instead' },
  'gl-mirror-unknown-key': { ...mirror, severity: W, description: "an `option mirror.*` key the Mirroring trigger never reads (it reads `mirror.master` exactly and keys starting `mirror.copies` and `mirror.redirectOK`, case-sensitively): gitolite stores it and ignores it; with a did-you-mean and a quick fix" },
  'gl-mirror-admin-locked-out': { ...mirror, severity: E, description: "gitolite-admin is mirrored but this host (HOSTNAME) is neither its master nor a copy, though it mirrors other repos: gitolite refuses every access to gitolite-admin here (`FATAL: <host>: 'gitolite-admin' is mirrored but not here`), so this host gets no more conf updates until it is fixed on the server (edit ~/.gitolite/conf/gitolite.conf, `gitolite setup`)" },
  'gl-mirror-admin-host-dropped': { ...mirror, severity: W, description: "gitolite-admin is mirrored and a host that masters or copies other repos is not in its master/copies: when this conf reaches that host (the master pushes it to the copies it had before the push), the host locks itself out of gitolite-admin (`'gitolite-admin' is mirrored but not here`)" },

  // --- across hosts (check --hosts) ---
  'gl-hosts-hostname-mismatch': { ...hosts, severity: E, description: "a host's HOSTNAME is not the name the other hosts use for it (or is not set): it finds itself in no master or copies list, so it refuses its mirrored repos and every mirror push (`'<repo>' is mirrored but not here`)" },
  'gl-hosts-key-name': { ...hosts, severity: E, description: "a host's own public key is installed on a peer under another name than `server-<HOST>.pub` (or as a user): the peer takes its pushes as another host's (`'<x>' is not the master for '<repo>'`) or a user's (`DENIED by fallthru`)" },
  'gl-hosts-key-missing': { ...hosts, severity: E, description: 'a copy has no `keydir/server-<MASTER>.pub` (or has it, but not compiled into authorized_keys) although the master pushes to it: every mirror push fails with `Permission denied (publickey)`' },
  'gl-hosts-alias-missing': { ...hosts, severity: W, description: "a master's ~/.ssh/config has no `Host <COPY>` alias for a copy it pushes to: `ssh <COPY>` goes wherever DNS says, usually `Could not resolve hostname`" },
  'gl-hosts-push-refused': { ...hosts, severity: E, description: "the master's conf pushes a repo to a copy whose own conf disagrees, so the copy refuses it: `'<repo>' is local`, `is native`, `is mirrored but not here` or `'<master>' is not the master for '<repo>'`" },
  'gl-hosts-not-pushed': { ...hosts, severity: W, description: "a copy whose conf names a master that does not push to it (the repo is local there, or has another master, or does not list this copy): the copy goes stale and refuses user pushes" },
  'gl-hosts-redirect-refused': { ...hosts, severity: W, description: "a copy's redirectOK sends users' pushes to a master that does not trust it: every redirected push fails (`redirection not allowed from '<copy>'`, `'<copy>' is not a valid copy for '<repo>'`)" },
  'gl-hosts-repo-differs': { ...hosts, severity: W, description: "a repo whose master or copies differ between two hosts where no push breaks yet: pushes work, but a redirect or a change of master would follow the other list" },
} satisfies Record<string, Rule>;

export type GitoliteCode = keyof typeof GITOLITE_RULES;
