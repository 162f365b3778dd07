// Values of known keys, read the way the plugin reads them. For a single-valued key only the
// value JGit returns (the last one) matters; earlier ones are reported as repeated instead.
import type { KeySpec } from '../../catalog/keyCatalog';
import { jgitRawOf } from '../../gitconfig/jgitRead';
import type { Entry } from '../../gitconfig/parser';
import { CheckContext, Fix, ignoredRemoteContext, skippedRemoteContext } from '../context';
import { evaluate } from '../evaluate';
import { memoize } from '../memo';
import { javaRegexToJs, patternKind } from '../projectFilter';
import { isOverridden, ReadGroup, resolveConfig } from '../resolved';

export function checkValues(c: CheckContext): void {
  for (const group of resolveConfig(c.parsed, c.kind, c.site.fanoutRemote).groups) checkGroupValues(c, group);
}

/** The values of one group (the blocks JGit merges into one section): they depend on it only. */
export function checkGroupValues(c: CheckContext, group: ReadGroup, { keys } = resolveConfig(c.parsed, c.kind, c.site.fanoutRemote)): void {
  // Remotes the plugin drops are never parsed: what is wrong with them breaks nothing yet.
  const ignored = c.remotesIgnored ? ignoredRemoteContext(c) : c;
  // Blocks with the same identity merge, so "the last one wins" spans them (group.overridden).
  const { spec, subsection } = group;
  const skipped = spec.name === 'remote' ? skippedRemote(c, group) : undefined;
  const read = spec.name === 'remote' ? ignored : c;
  const unread = skipped ? skippedRemoteContext(read, skipped) : read;
  for (let j = 0; j < group.size; j++) {
    const i = group.index(j);
    const key = keys[i];
    if (!key || !CHECKED_TYPES.has(key.type) || (!key.multi && isOverridden(group, j))) continue;
    // JGit's RemoteConfig reads timeout and mirror of every remote; the plugin reads the
    // other keys only of the remotes it keeps.
    const cc = skipped && key.name !== 'timeout' && key.name !== 'mirror' ? unread : read;
    // Whether a value has findings depends only on the key and the value (the section and
    // remote name only appear in messages), and a big file repeats a few values thousands
    // of times: values that gave nothing are remembered per key.
    let clean = CLEAN.get(key);
    const value = c.parsed.valueOf(i);
    if (value !== null && clean?.has(value)) continue;
    const e = c.parsed.entry(i);
    const before = c.reported();
    checkScalar(cc, spec, key, e, subsection);
    if (key.type === 'projectPattern') checkProjectPattern(cc, key, e);
    if (key.type === 'regex') checkRegex(cc, key, e);
    if (e.value !== null && c.reported() === before) {
      if (!clean) CLEAN.set(key, (clean = new Set()));
      if (clean.size >= 10_000) clean.clear(); // bounded
      clean.add(e.value);
    }
  }
}

/** Why the plugin never reads this remote's own keys (no url, or a fetch refspec), if it does not. */
function skippedRemote(c: CheckContext, g: ReadGroup): string | undefined {
  let url = (c.included?.get(g.name)?.urls.length ?? 0) > 0;
  for (let j = 0; j < g.size; j++) {
    const k = c.parsed.keyOf(g.index(j));
    if (k === 'fetch') return 'it has a fetch refspec';
    if (k === 'url') url = true;
  }
  return url ? undefined : 'it has no url';
}

function valueSpan(e: Entry) {
  return e.valueSpan ?? e.keySpan;
}

function replaceValue(c: CheckContext, e: Entry, title: string, newText: string, preferred = false): Fix {
  if (e.valueSpan) {
    const glued = e.valueSpan.start === e.valueSpan.end && c.parsed.text[e.valueSpan.start - 1] === '=';
    return { title, edits: [{ range: c.range(e.valueSpan), newText: glued ? ` ${newText}` : newText }], preferred };
  }
  // `key` without '=': add one.
  return { title, edits: [{ range: c.range({ start: e.keySpan.end, end: e.keySpan.end }), newText: ` = ${newText}` }], preferred };
}

// Key types whose values are checked here; values that gave no finding, per key.
const CHECKED_TYPES = new Set<KeySpec['type']>(['int', 'bool', 'duration', 'enum', 'projectPattern', 'regex']);
const CLEAN = new WeakMap<KeySpec, Set<string>>();

function checkScalar(c: CheckContext, spec: Parameters<typeof evaluate>[0], key: KeySpec, e: Entry, subsection: string | null): void {
  if (key.type !== 'int' && key.type !== 'bool' && key.type !== 'duration' && key.type !== 'enum') return;
  // The value JGit reads (`mirror # keep`: git reads true, JGit no value, so the default).
  const raw = key.type === 'bool' || key.type === 'int' ? jgitRawOf(c.parsed, e) : e.value;
  const ev = evaluate(spec, key, raw, subsection);
  for (const f of ev.findings) {
    const fixes = f.replacements?.map((r, i) => replaceValue(c, e, r.title, r.newText, i === 0));
    c.report(f.code, valueSpan(e), f.message, { fixes });
  }
}

const REGEX_CHARS = /[()[\]{}|+?\\]|\.\*|\.\+/;

function checkProjectPattern(c: CheckContext, key: KeySpec, e: Entry): void {
  const v = e.value ?? '';
  if (v === '') {
    c.report('literal-project-pattern', valueSpan(e), `An empty ${key.name} value is an exact match for a project named '' — it matches nothing${key.name === 'projects' ? ', so this remote replicates no project' : ''}.`);
    return;
  }
  const kind = patternKind(v);
  const error = kind === 'regex' ? javaRegexError(v) : undefined;
  if (error) {
    c.report(
      'invalid-project-pattern',
      valueSpan(e),
      `${key.name} = ${v} does not compile as a regular expression (${error}). The plugin does not check it at load: Java's String.matches throws PatternSyntaxException each time a project is matched against this remote.`,
    );
    return;
  }
  const prefix = v.slice(0, -1);
  const looksRegex = kind === 'exact' ? REGEX_CHARS.test(v) || v.includes('*') : kind === 'wildcard' && (v.endsWith('.*') || REGEX_CHARS.test(prefix));
  if (looksRegex) {
    const asRegex = '^' + v;
    const how = kind === 'exact'
      ? 'is matched as one exact project name'
      : `is a prefix match (names starting with '${prefix}'), not a regular expression`;
    c.report(
      'literal-project-pattern',
      valueSpan(e),
      `${key.name} = ${v} ${how}: only a leading '^' makes a regular expression and only a trailing '*' makes a prefix.`,
      { fixes: [replaceValue(c, e, `Make it a regular expression: ${asRegex}`, asRegex, true)] },
    );
  }
}

function checkRegex(c: CheckContext, key: KeySpec, e: Entry): void {
  const v = e.value ?? '';
  const error = javaRegexError(v);
  if (error) c.report('invalid-excluded-refs-pattern', valueSpan(e), `Invalid ${key.name} '${v}' is ignored (the plugin logs a warning and drops it): ${error}.`);
}

// Java-only syntax JavaScript cannot check: report nothing rather than a false error.
const JAVA_ONLY = /\(\?>|[*+?}]\+|\\Q|\\p\{java|\\p\{Is|\(\?[a-zA-Z]*-[a-zA-Z]*[:)]|\\[hHvVRX]|\\G/;

/** Why a Java regex does not compile, as far as JavaScript can tell; undefined if it does. */
export const javaRegexError = memoize(javaRegexErrorUncached);

function javaRegexErrorUncached(src: string): string | undefined {
  if (JAVA_ONLY.test(src)) return undefined;
  let first: string | undefined;
  try {
    const { source, flags } = javaRegexToJs(src);
    new RegExp(source, flags);
    return undefined;
  } catch (err) {
    first = (err as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
  }
  try {
    // Java accepts escapes like \- or \/ that a unicode-mode JavaScript regex rejects.
    new RegExp(src.replace(/^\^/, ''));
    return undefined;
  } catch {
    return first;
  }
}
