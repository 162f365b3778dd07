// The rule table (after vscode-css-languageservice's lintRules): one stable code per check,
// its default severity and what it is about. Compile rules mirror a gitolite FATAL (error) or
// WARNING (warning) and their messages quote gitolite; mirror rules are ours, because gitolite
// checks nothing about mirroring when it compiles.
import { DiagnosticSeverity } from '../service/lspConstants';

export type Level = 'error' | 'warning' | 'info' | 'hint';

export interface Rule {
  code: string;
  level: Level;
  /** 'gitolite' = gitolite itself says this at compile time; 'mirror' / 'rc' = our own checks. */
  origin: 'gitolite' | 'mirror' | 'rc';
  doc: string;
}

const table: Rule[] = [
  // --- compile-equivalent (src/lib/Gitolite/Conf*.pm) ---
  { code: 'gl-syntax', level: 'warning', origin: 'gitolite', doc: "A line gitolite cannot parse; it prints `syntax error, ignoring: '<line>'` and skips it." },
  { code: 'gl-undefined-group', level: 'error', origin: 'gitolite', doc: 'A group used in a group definition or as a ref before it is defined.' },
  { code: 'gl-undeclared-group', level: 'warning', origin: 'gitolite', doc: 'A rule names a user group that is never defined.' },
  { code: 'gl-bad-group', level: 'error', origin: 'gitolite', doc: 'A group name that does not match REPONAME_PATT.' },
  { code: 'gl-bad-expansion', level: 'error', origin: 'gitolite', doc: 'A group member that does not match REPOPATT_PATT.' },
  { code: 'gl-bad-reponame', level: 'error', origin: 'gitolite', doc: 'A repo name or pattern with characters gitolite refuses.' },
  { code: 'gl-git-extension', level: 'warning', origin: 'gitolite', doc: 'A repo written with a `.git` ending; gitolite drops it.' },
  { code: 'gl-read-rule-ref', level: 'warning', origin: 'gitolite', doc: 'An `R` rule with a ref: refs are not checked for reads.' },
  { code: 'gl-bad-username', level: 'error', origin: 'gitolite', doc: 'A user name that does not match USERNAME_PATT (a trailing `\\` without continuation lines is one).' },
  { code: 'gl-bad-ref', level: 'error', origin: 'gitolite', doc: 'A refex that does not match REPOPATT_PATT (an unexpanded %HOSTNAME is one).' },
  { code: 'gl-config-not-allowed', level: 'error', origin: 'gitolite', doc: 'A `config` (or desc/owner/category) key that GIT_CONFIG_KEYS does not allow.' },
  { code: 'gl-bad-config-value', level: 'error', origin: 'gitolite', doc: 'A config or option value matching UNSAFE_PATT.' },
  { code: 'gl-include-unquoted', level: 'error', origin: 'gitolite', doc: 'An include/subconf file or glob that is not quoted.' },
  { code: 'gl-include-not-found', level: 'warning', origin: 'gitolite', doc: 'An included file that does not exist.' },
  { code: 'gl-include-outside', level: 'warning', origin: 'gitolite', doc: 'An included file whose real path (symlinks resolved) is outside the conf directory: gitolite reads it, `check` and the language server do not, so nothing in it is checked or quoted.' },
  { code: 'gl-include-not-regular', level: 'warning', origin: 'gitolite', doc: 'An included path that is a FIFO, a device or a socket: gitolite reports it as not found; it is never opened.' },
  { code: 'gl-include-bad-name', level: 'error', origin: 'gitolite', doc: 'An included file whose name does not end in `.conf`.' },
  { code: 'gl-include-repeated', level: 'warning', origin: 'gitolite', doc: 'A file included twice (gitolite.conf itself counts as included).' },
  { code: 'gl-subconf-nested', level: 'error', origin: 'gitolite', doc: 'A subconf file that runs `subconf` itself.' },
  { code: 'gl-subconf-bad-name', level: 'error', origin: 'gitolite', doc: 'A subconf name that does not match `^[-\\w.]+$`.' },
  { code: 'gl-subconf-access', level: 'warning', origin: 'gitolite', doc: 'A subconf that sets access for repos it does not own; gitolite ignores those.' },
  { code: 'gl-subconf-expanding', level: 'warning', origin: 'gitolite', doc: 'A subconf names a group it does not own; gitolite expands it member by member.' },
  { code: 'gl-no-rules', level: 'error', origin: 'gitolite', doc: 'A conf without any access rule: gitolite compile dies closing its rule_info file.' },
  // --- rc reader ---
  { code: 'gl-rc-unreadable', level: 'info', origin: 'rc', doc: 'An rc setting written in a way this reader does not evaluate (it never runs Perl); checks that need it are skipped.' },
  { code: 'gl-lone-cr', level: 'warning', origin: 'gitolite', doc: 'A lone carriage return: gitolite (Perl readline) ends lines at \\n only, so the text after it belongs to the same line for gitolite though an editor shows a new line.' },
  { code: 'gl-rc-outside', level: 'warning', origin: 'rc', doc: 'The .gitolite.rc found for this conf is a symlink that leads out of its directory: it is not read, and the default rc is assumed.' },
  { code: 'gl-rc-not-found', level: 'info', origin: 'rc', doc: 'No .gitolite.rc was found for this gitolite.conf; the default rc is assumed.' },
  { code: 'gl-rc-v2-slave-mode', level: 'error', origin: 'rc', doc: 'A pre-2.1 mirroring setting that gitolite v2.1+ refuses to start with.' },
  // --- mirroring (spec §1.2, M1–M15) ---
  { code: 'gl-mirror-mixed-dialect', level: 'warning', origin: 'mirror', doc: 'The conf mixes v2 `config gitolite.mirror.*` lines and v3 `option mirror.*` lines.' },
  { code: 'gl-mirror-v2-under-v3', level: 'error', origin: 'mirror', doc: 'v2 mirror syntax under a v3 rc: not allowed by default, and ignored by the v3 Mirroring trigger even when allowed.' },
  { code: 'gl-mirror-v3-under-v2', level: 'error', origin: 'mirror', doc: 'v3 `option mirror.*` lines under a v2 rc; gitolite v2 does not know `option` lines.' },
  { code: 'gl-mirror-v2-key-not-allowed', level: 'error', origin: 'mirror', doc: 'A v2 mirror key that $GL_GITCONFIG_KEYS does not cover.' },
  { code: 'gl-mirror-no-hostname', level: 'warning', origin: 'mirror', doc: 'Mirror options exist but HOSTNAME is not set: mirroring does nothing and copies accept pushes from anyone.' },
  { code: 'gl-mirror-hostname-unknown', level: 'warning', origin: 'mirror', doc: 'HOSTNAME is neither a master nor a copy of any repo.' },
  { code: 'gl-mirror-copies-without-master', level: 'warning', origin: 'mirror', doc: 'A repo with copies but no master.' },
  { code: 'gl-mirror-multiple-masters', level: 'warning', origin: 'mirror', doc: 'A repo that gets more than one master value; the last one wins.' },
  { code: 'gl-mirror-master-is-copy', level: 'warning', origin: 'mirror', doc: 'A host that is both the master and a copy of a repo.' },
  { code: 'gl-mirror-redirect-not-copy', level: 'warning', origin: 'mirror', doc: 'redirectOK names a host that is not a copy.' },
  { code: 'gl-mirror-nosync', level: 'info', origin: 'mirror', doc: 'A nosync copy: gitolite never pushes to it by itself.' },
  { code: 'gl-mirror-trigger-disabled', level: 'warning', origin: 'mirror', doc: "Mirror options exist but 'Mirroring' is not in ENABLE." },
  { code: 'gl-mirror-empty-option', level: 'warning', origin: 'mirror', doc: '`option mirror.x =` with no value: gitolite ignores the line, so it clears nothing.' },
  { code: 'gl-mirror-unsafe-value', level: 'error', origin: 'mirror', doc: 'A mirror host list that fails UNSAFE_PATT; gitolite refuses the whole conf.' },
];

export const RULES: ReadonlyMap<string, Rule> = new Map(table.map((r) => [r.code, r]));
export const ALL_RULES: readonly Rule[] = table;

export const LEVEL_SEVERITY: Record<Level, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function getRule(code: string): Rule {
  const r = RULES.get(code);
  if (!r) throw new Error(`unknown gitolite rule ${code}`);
  return r;
}
