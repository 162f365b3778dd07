// Writing git-config text that reads back as exactly the given string (for edits we generate).

/**
 * A value as git-config text. Quoted when git would otherwise change it: `#`/`;` start a
 * comment, leading/trailing blanks are trimmed, `"` and `\` are syntax. Inside quotes `"`
 * and `\` are escaped and newline, tab and backspace use git's escapes. Undefined for
 * a NUL or carriage return (git cannot hold the first and folds the second).
 */
export function configValue(s: string): string | undefined {
  if (/[\0\r]/.test(s)) return undefined;
  // Outside quotes git also turns a tab (any blank but space) into a space.
  const plain = !/["\\#;\n\b\t\v\f]/.test(s) && !/^\s|\s$/.test(s);
  if (plain) return s;
  const body = s.replace(/[\\"\n\t\b]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\t': '\\t', '\b': '\\b' })[c]!);
  return `"${body}"`;
}

/** A subsection name inside `[section "…"]`: only `"` and `\` are escaped; newline and NUL cannot be written. */
export function configSubsection(s: string): string | undefined {
  if (/[\0\n]/.test(s)) return undefined;
  return s.replace(/[\\"]/g, (c) => '\\' + c);
}
