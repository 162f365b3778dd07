// Value parsers with the exact semantics of the readers Gerrit's replication plugin uses:
// JGit Config.getInt/getBoolean and Gerrit ConfigUtil.getTimeUnit. Each returns either the
// value in effect or the exception text the plugin would throw.

import { isJavaWhitespace } from '../gitconfig/jgitRead';

export type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; error: string };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * JGit getInt (DefaultTypedConfigGetter.getLong + StringUtils.parseLongWithSuffix): strip
 * (Java's notion of whitespace: a no-break space is not one), optional single k/m/g suffix
 * (×1024ⁿ, case-insensitive), then Long.parseLong, which takes any Unicode decimal digit of the
 * BMP (fullwidth `１`, Arabic-Indic `٣`). A missing, blank or suffix-only value means the
 * default (JGit catches the StringIndexOutOfBounds).
 * `label` is what JGit prints: "section.name" (JGit leaves the subsection out).
 */
export function parseJGitInt(raw: string | null, label: string, defaultValue = 0): Parsed<number> {
  const s = javaStrip(raw ?? '');
  const isDefault = { ok: true as const, value: defaultValue, note: `an empty value means the default (${defaultValue})` };
  if (s === '') return isDefault;
  let mul = 1;
  let digits = s;
  const last = s[s.length - 1].toLowerCase();
  if (last === 'k' || last === 'm' || last === 'g') {
    mul = last === 'k' ? 1024 : last === 'm' ? 1024 * 1024 : 1024 * 1024 * 1024;
    digits = javaTrim(s.slice(0, -1));
    if (digits === '') return isDefault;
  }
  const ascii = javaDigits(digits);
  if (ascii === undefined) return { ok: false, error: `Invalid integer value: ${label}=${raw}` };
  digits = ascii;
  let n: number;
  if (digits.length <= 12) n = Number(digits) * mul; // exact in a double: the common case
  else {
    const big = BigInt(digits) * BigInt(mul);
    // Past a Java long, parseLong/multiplyExact throw NumberFormatException: "Invalid integer value".
    if (big > 9223372036854775807n || big < -9223372036854775808n) return { ok: false, error: `Invalid integer value: ${label}=${raw}` };
    if (big < BigInt(INT_MIN) || big > BigInt(INT_MAX)) return { ok: false, error: `Integer value ${label} out of range` };
    n = Number(big);
  }
  if (n < INT_MIN || n > INT_MAX) return { ok: false, error: `Integer value ${label} out of range` };
  if (mul === 1) return { ok: true, value: n };
  return { ok: true, value: n, note: `'${s}' is ${digits} × ${mul} = ${groupDigits(n)}` };
}

/** Java's String.strip: drops leading and trailing Character.isWhitespace characters. */
export function javaStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isJavaWhitespace(s.charCodeAt(a))) a++;
  while (b > a && isJavaWhitespace(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Java's String.trim: drops characters up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return s.slice(a, b);
}

const ND = /\p{Nd}/u;

/**
 * What Long.parseLong accepts: an optional sign and one or more decimal digits, each any
 * Unicode Nd character of one UTF-16 unit (Character.digit). Returned with ASCII digits;
 * undefined when parseLong throws.
 */
function javaDigits(s: string): string | undefined {
  let out = '';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') {
    out = s[0] === '-' ? '-' : '';
    i = 1;
  }
  if (i >= s.length) return undefined;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
    else if (c >= 0xd800 && c <= 0xdfff) return undefined;
    else if (c > 127 && ND.test(s[i])) out += String(ndValue(c));
    else return undefined;
  }
  return out;
}

/** The value of a Unicode decimal digit: Nd digits come in runs of 0…9. */
function ndValue(c: number): number {
  let start = c;
  while (start > 0 && ND.test(String.fromCharCode(start - 1))) start--;
  return (c - start) % 10;
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * JGit getBoolean on the value as JGit reads it (gitconfig/jgitRead's jgitRawOf): null, a
 * key directly followed by the newline, is true; '' (`key =`, `key = ""`, `mirror # keep`:
 * no value for JGit) means the default; otherwise the word list, compared ignoring case but
 * not whitespace. (git reads an empty value as false.)
 */
export function parseJGitBoolean(raw: string | null, label: string, defaultValue = false): Parsed<boolean> {
  if (raw === null) return { ok: true, value: true };
  const v = raw;
  if (v === '') return { ok: true, value: defaultValue, note: `an empty value means the default (${defaultValue})` };
  const s = v.toLowerCase();
  if (TRUE.has(s)) return { ok: true, value: true };
  if (FALSE.has(s)) return { ok: true, value: false };
  return { ok: false, error: `Invalid boolean value: ${label}=${v}` };
}

export type TimeUnit = 'milliseconds' | 'seconds' | 'minutes';

const MS: Record<string, number> = {
  ms: 1, milliseconds: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
  w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
  mon: 2_592_000_000, month: 2_592_000_000, months: 2_592_000_000,
  y: 31_536_000_000, year: 31_536_000_000, years: 31_536_000_000,
};
const UNIT_MS: Record<TimeUnit, number> = { milliseconds: 1, seconds: 1000, minutes: 60_000 };

/**
 * Gerrit ConfigUtil.getTimeUnit: `^(0|[1-9][0-9]*)\s*(.*)$`, unit words case-insensitive,
 * a bare number is in the key's own unit. Returns the value converted to `unit` (truncated,
 * as TimeUnit.convert does) plus whether a unit was written.
 * `label` is "section.sub.name" or "section.name" as Gerrit prints it.
 */
export function parseGerritTime(
  raw: string | null,
  unit: TimeUnit,
  label: string,
  defaultValue: number,
): Parsed<{ value: number; explicitUnit: boolean; ms: number }> {
  if (raw === null || raw.trim() === '') return { ok: true, value: { value: defaultValue, explicitUnit: false, ms: defaultValue * UNIT_MS[unit] } };
  const s = raw.trim();
  const bad = { ok: false as const, error: `Invalid time unit value: ${label} = ${raw}` };
  if (s.startsWith('-')) return bad;
  const m = /^(0|[1-9][0-9]*)\s*(.*)$/.exec(s);
  if (!m) return bad;
  const n = Number(m[1]);
  const word = m[2].toLowerCase();
  let ms: number;
  if (word === '') ms = n * UNIT_MS[unit];
  else if (word in MS) ms = n * MS[word];
  else return bad;
  return { ok: true, value: { value: Math.trunc(ms / UNIT_MS[unit]), explicitUnit: word !== '', ms } };
}

/** Format milliseconds for messages: "2 min", "30 s", "15 ms", "1 048 576 min". */
export function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [86_400_000, 'd'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's'], [1, 'ms'],
  ];
  for (const [size, name] of units) if (ms >= size && ms % size === 0) return `${groupDigits(ms / size)} ${name}`;
  return `${ms} ms`;
}

export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
