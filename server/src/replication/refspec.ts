// Refspecs as JGit's RefSpec constructor parses them (what makes the plugin fail to load) and
// as git's check-ref-format judges the names (what makes a push fail later).

export interface RefSpecParse {
  force: boolean;
  negative: boolean;
  src: string | null;
  dst: string | null;
  wildcard: boolean;
  /** `:` alone: git's "matching" push. */
  matching: boolean;
}

export type RefSpecResult = { ok: true; spec: RefSpecParse } | { ok: false; error: string; kind: 'wildcards' | 'refspec' | 'negative-force' };

const isWildcard = (s: string | null) => s !== null && s.includes('*');

/** RefSpec.isValid: no leading '/', no '//', no trailing '/', at most one '*'. */
function jgitValid(s: string): boolean {
  if (s.startsWith('/') || s.includes('//') || s.endsWith('/')) return false;
  const i = s.indexOf('*');
  return i < 0 || s.indexOf('*', i + 1) < 0;
}

/** `new RefSpec(spec)` with WildcardMode.REQUIRE_MATCH, the mode the plugin's config uses. */
export function parseRefSpec(spec: string): RefSpecResult {
  let s = spec;
  if (s.startsWith('^+') || s.startsWith('+^')) return { ok: false, kind: 'negative-force', error: "RefSpec can't be negative and forceful." };
  const force = s.startsWith('+');
  if (force) s = s.slice(1);
  const negative = s.startsWith('^');
  if (negative) s = s.slice(1);
  const badWild = { ok: false as const, kind: 'wildcards' as const, error: `Invalid wildcards ${spec}` };
  const bad = (part: string) => ({ ok: false as const, kind: 'refspec' as const, error: `Invalid refspec ${part}` });
  let src: string | null = null;
  let dst: string | null = null;
  let wildcard = false;
  let matching = false;
  const c = s.lastIndexOf(':');
  if (c === 0) {
    s = s.slice(1);
    if (s === '') {
      matching = true;
      wildcard = true;
      src = dst = 'refs/heads/*';
    } else {
      if (isWildcard(s)) return badWild;
      if (!jgitValid(s)) return bad(s);
      dst = s;
    }
  } else if (c > 0) {
    src = s.slice(0, c);
    dst = s.slice(c + 1);
    if (isWildcard(src) !== isWildcard(dst)) return badWild;
    wildcard = isWildcard(src);
    if (!jgitValid(src)) return bad(src);
    if (!jgitValid(dst)) return bad(dst);
  } else {
    if (isWildcard(s)) return badWild;
    if (!jgitValid(s)) return bad(s);
    src = s;
  }
  if (negative) {
    const hasSrc = !!src;
    const hasDst = !!dst;
    if (hasSrc === hasDst || wildcard) return bad(spec);
  }
  return { ok: true, spec: { force, negative, src, dst, wildcard, matching } };
}

/**
 * Why git's check-ref-format rejects a ref name (a single `*` allowed, as in refspec patterns),
 * or undefined. Only the rules JGit does not already enforce at load time matter here.
 */
export function refNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.startsWith('+')) return "it starts with '+': only one leading '+' is the force flag";
  if (name.includes('..')) return "it contains '..'";
  if (/[\x00-\x20\x7f]/.test(name)) return 'it contains a space or control character';
  for (const ch of ['~', '^', ':', '?', '[', '\\']) if (name.includes(ch)) return `it contains '${ch}'`;
  if (name.includes('@{')) return "it contains '@{'";
  if (name === '@') return "it is '@'";
  if (name.endsWith('.')) return "it ends with '.'";
  for (const comp of name.split('/')) {
    if (comp.startsWith('.')) return `the component '${comp}' starts with '.'`;
    if (comp.endsWith('.lock')) return `the component '${comp}' ends with '.lock'`;
  }
  return undefined;
}
