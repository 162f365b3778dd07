// gitolite's name patterns (src/lib/Gitolite/Rc.pm), transcribed to JS regexes. JS and Perl
// agree on these character classes, so a name passes here exactly when gitolite accepts it.
export const REPONAME_PATT = /^@?[0-9a-zA-Z][-0-9a-zA-Z._@/+]*$/;
export const REPOPATT_PATT = /^@?[[0-9a-zA-Z][-0-9a-zA-Z._@/+\\^$|()[\]*?{},]*$/;
export const USERNAME_PATT = /^@?[0-9a-zA-Z][-0-9a-zA-Z._@+]*$/;
/** The default UNSAFE_PATT; an rc may override it. */
export const DEFAULT_UNSAFE_PATT = /[`~#$&()|;<>]/;

/** Perl's s/%HOSTNAME\b/$h/g on one token (a token never holds a space, so per-token is exact). */
export function expandHostname(text: string, hostname: string | undefined): string {
  if (!hostname || text.indexOf('%HOSTNAME') < 0) return text;
  return text.replace(/%HOSTNAME\b/g, () => hostname);
}

/**
 * A gitolite regex list entry compiled as Perl uses it: `/^$_$/` with no grouping, so `a|b`
 * means `^a` or `b$` exactly as in gitolite. Undefined when JS cannot compile it.
 */
export function anchored(re: string, flags = ''): RegExp | undefined {
  try {
    return new RegExp(`^${re}$`, flags);
  } catch {
    return undefined;
  }
}
