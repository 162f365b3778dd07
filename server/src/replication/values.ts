// Value parsers with the exact semantics of the readers Gerrit's replication plugin uses:
// JGit Config.getInt/getBoolean and Gerrit ConfigUtil.getTimeUnit. Each returns either the
// value in effect or the exception text the plugin would throw.

export type Parsed<T> = { ok: true; value: T; note?: string } | { ok: false; error: string };

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

/**
 * JGit getInt (DefaultTypedConfigGetter.getLong + StringUtils.parseLongWithSuffix): strip,
 * optional single k/m/g suffix (×1024ⁿ, case-insensitive), then Long.parseLong. A missing,
 * blank or suffix-only value means the default (JGit catches the StringIndexOutOfBounds).
 * `label` is what JGit prints: "section.name" (JGit leaves the subsection out).
 */
export function parseJGitInt(raw: string | null, label: string, defaultValue = 0): Parsed<number> {
  const s = (raw ?? '').trim();
  const isDefault = { ok: true as const, value: defaultValue, note: `an empty value means the default (${defaultValue})` };
  if (s === '') return isDefault;
  let mul = 1;
  let digits = s;
  const last = s[s.length - 1].toLowerCase();
  if (last === 'k' || last === 'm' || last === 'g') {
    mul = last === 'k' ? 1024 : last === 'm' ? 1024 * 1024 : 1024 * 1024 * 1024;
    digits = s.slice(0, -1).trim();
    if (digits === '') return isDefault;
  }
  if (!/^[+-]?\d+$/.test(digits)) return { ok: false, error: `Invalid integer value: ${label}=${raw}` };
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
  return mul === 1 ? { ok: true, value: n } : { ok: true, value: n, note: `'${s}' is ${digits} × ${mul} = ${groupDigits(n)}` };
}

const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/**
 * JGit getBoolean: a key with no '=' is true; otherwise the word list, compared ignoring case
 * but not whitespace. An empty value (`key =`) is not a boolean for JGit (git reads it as false).
 */
export function parseJGitBoolean(raw: string | null, label: string): Parsed<boolean> {
  if (raw === null) return { ok: true, value: true };
  const s = raw.toLowerCase();
  if (TRUE.has(s)) return { ok: true, value: true };
  if (FALSE.has(s)) return { ok: true, value: false };
  return { ok: false, error: `Invalid boolean value: ${label}=${raw}` };
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
