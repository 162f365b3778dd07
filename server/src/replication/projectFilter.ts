// Gerrit's project patterns (ReplicationFilter): `^…` is a Java regex that must match the whole
// name, a trailing `*` is a prefix, anything else is an exact, case-sensitive name.

export type PatternKind = 'regex' | 'wildcard' | 'exact';

export interface CompiledPattern {
  source: string;
  kind: PatternKind;
  /** For regex patterns that do not compile: the error; such a pattern matches nothing. */
  error?: string;
  test(project: string): boolean;
}

export function patternKind(p: string): PatternKind {
  if (p.startsWith('^')) return 'regex'; // the caret wins over a trailing '*' (`^abc*` is a regex)
  if (p.endsWith('*')) return 'wildcard';
  return 'exact';
}

/** Translate the Java regex features JavaScript spells differently; report ones it lacks. */
export function javaRegexToJs(src: string): { source: string; flags: string } {
  let flags = 'u';
  let s = src;
  const inline = /^\(\?([imsx]+)\)/.exec(s.startsWith('^') ? s.slice(1) : s);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    s = s.startsWith('^') ? '^' + s.slice(1 + inline[0].length) : s.slice(inline[0].length);
  }
  if (/(\*|\+|\?|\})\+/.test(s.replace(/\\./g, ''))) throw new Error('possessive quantifiers (*+, ++) are Java-only and cannot be checked here');
  s = s.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  return { source: s, flags };
}

export function compilePattern(p: string): CompiledPattern {
  const kind = patternKind(p);
  if (kind === 'exact') return { source: p, kind, test: (n) => n === p };
  if (kind === 'wildcard') {
    const prefix = p.slice(0, -1);
    return { source: p, kind, test: (n) => n.startsWith(prefix) };
  }
  try {
    const { source, flags } = javaRegexToJs(p);
    const re = new RegExp(`^(?:${source})$`, flags); // String.matches: the whole name
    return { source: p, kind, test: (n) => re.test(n) };
  } catch (err) {
    return { source: p, kind, error: (err as Error).message, test: () => false };
  }
}

/** Destination.wouldPushProject: no patterns = all; excludeProjects wins over projects. */
export function projectMatches(project: string, projects: CompiledPattern[], exclude: CompiledPattern[]): boolean {
  if (exclude.some((p) => p.test(project))) return false;
  return projects.length === 0 || projects.some((p) => p.test(project));
}

/** The `${name}`-exemption: exactly one `projects` value, and it is an exact name. */
export function isSingleProjectMatch(projects: string[]): boolean {
  return projects.length === 1 && patternKind(projects[0]) === 'exact';
}
