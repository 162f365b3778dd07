// What the plugin makes of one written value of a scalar key (int, bool, duration, enum),
// read the way it reads it (JGit getInt/getBoolean, Gerrit getTimeUnit, then Math.max).
// Validation turns the findings into diagnostics; hover shows `effective`.
import { codeName, KeySpec, SectionSpec } from '../catalog/keyCatalog';
import type { RuleCode } from './checks/replicationRules';
import { formatDuration, groupDigits, parseGerritTime, parseJGitBoolean, parseJGitInt, TimeUnit } from './values';

export interface Finding {
  code: RuleCode;
  message: string;
  /** Replacement values for the written value, best first. */
  replacements?: Array<{ title: string; newText: string }>;
}

export interface Evaluation {
  findings: Finding[];
  /** The value in effect, as a person reads it ("1,048,576 minutes"), when it could be read. */
  effective?: string;
  /** True when the value in effect is not simply what was written. */
  differs: boolean;
  /** `effective` as short as an inline hint can show it ("1,048,576 min", "3 s"). */
  inline?: string;
}

const UNIT_MS: Record<string, number> = { milliseconds: 1, seconds: 1000, minutes: 60_000 };

/** "15 seconds", "1,048,576 minutes (about 2 years)". */
export function withUnit(n: number, unit: string | undefined): string {
  if (!unit) return groupDigits(n);
  const word = n === 1 ? unit.replace(/s$/, '') : unit;
  let text = `${groupDigits(n)} ${word}`;
  const ms = UNIT_MS[unit];
  if (ms && n * ms >= 86_400_000 * 2) text += ` (about ${humanSpan(n * ms)})`;
  return text;
}

const UNIT_SHORT: Record<string, string> = { milliseconds: 'ms', seconds: 's', minutes: 'min' };

/** "1,048,576 min", "3 s", "4 threads": a number and its unit, for an inline hint. */
export function withShortUnit(n: number, unit: string | undefined): string {
  const short = unit && UNIT_SHORT[unit];
  return short ? `${groupDigits(n)} ${short}` : withUnit(n, unit);
}

function humanSpan(ms: number): string {
  const days = ms / 86_400_000;
  if (days >= 360) return `${Math.round(days / 365)} year${Math.round(days / 365) === 1 ? '' : 's'}`;
  if (days >= 60) return `${Math.round(days / 30)} months`;
  return `${Math.round(days)} days`;
}

/** JGit's label: section.key as the code spells it, without the subsection. */
export function jgitLabel(section: SectionSpec, key: KeySpec): string {
  return `${section.name}.${codeName(key)}`;
}

/** Gerrit ConfigUtil's label: section[.subsection].key. */
export function gerritLabel(section: SectionSpec, key: KeySpec, subsection: string | null): string {
  return `${section.name}${subsection !== null ? '.' + subsection : ''}.${key.name}`;
}

/** A plain number written with a time unit: its value in the key's unit, when that is exact. */
function unitConversion(raw: string, key: KeySpec): string | undefined {
  const unit = key.unit;
  if (unit !== 'seconds' && unit !== 'minutes' && unit !== 'milliseconds') return undefined;
  const t = parseGerritTime(raw, unit as TimeUnit, '', 0);
  if (!t.ok || !t.value.explicitUnit) return undefined;
  if (t.value.ms % UNIT_MS[unit] !== 0) return undefined;
  return String(t.value.ms / UNIT_MS[unit]);
}

const LOAD_FAILS = 'the plugin fails to load';

export function evaluate(section: SectionSpec, key: KeySpec, raw: string | null, subsection: string | null): Evaluation {
  switch (key.type) {
    case 'int':
      return evaluateInt(section, key, raw);
    case 'bool':
      return evaluateBool(section, key, raw);
    case 'duration':
      return evaluateDuration(section, key, raw, subsection);
    case 'enum':
      return evaluateEnum(key, raw);
    default:
      return { findings: [], differs: false };
  }
}

function evaluateInt(section: SectionSpec, key: KeySpec, raw: string | null): Evaluation {
  const inherits = typeof key.default === 'string';
  const def = typeof key.default === 'number' ? key.default : 0;
  const r = parseJGitInt(raw, jgitLabel(section, key), def);
  const written = (raw ?? '').trim();
  if (!r.ok) {
    const outOfRange = r.error.includes('out of range');
    const conv = unitConversion(written, key);
    let message = `${r.error} — JGit throws this when the plugin reads ${key.name}, so ${LOAD_FAILS}.`;
    if (conv !== undefined) message += ` ${key.name} is a plain number of ${key.unit}: write ${conv}.`;
    else if (/[a-z]/i.test(written)) message += ` ${key.name} takes a plain integer${key.unit && key.unit !== key.name ? ` (${key.unit})` : ''}, with no units.`;
    return {
      findings: [{ code: outOfRange ? 'int-out-of-range' : 'invalid-int', message, replacements: conv !== undefined ? [{ title: `Write ${conv} (${key.unit})`, newText: conv }] : strayNumber(written) }],
      differs: false,
    };
  }
  if (written === '') {
    // A key without `=` or with an empty value: JGit falls back to the default.
    return inherits
      ? { findings: [], effective: `the default, ${key.defaultText ?? String(key.default)}`, inline: `default: ${key.defaultText ?? String(key.default)}`, differs: true }
      : { findings: [], effective: withUnit(def, key.unit), inline: `${withShortUnit(def, key.unit)} (default)`, differs: true };
  }
  const findings: Finding[] = [];
  let value = r.value;
  let differs = false;
  if (r.note) {
    differs = true;
    const suffix = written[written.length - 1].toLowerCase();
    const replacements: Finding['replacements'] = [];
    // `2m` on a time key was almost certainly meant as minutes.
    if (suffix === 'm' && (key.unit === 'seconds' || key.unit === 'minutes')) {
      const n = Number(written.slice(0, -1).trim());
      const meant = key.unit === 'seconds' ? n * 60 : n;
      replacements.push({ title: `Write ${meant}: ${n} minute${n === 1 ? '' : 's'}${key.unit === 'seconds' ? ` in seconds` : ''}`, newText: String(meant) });
    }
    replacements.push({ title: `Write the value in effect, ${r.value}`, newText: String(r.value) });
    findings.push({
      code: 'int-multiplier',
      message: `JGit reads the '${written[written.length - 1]}' suffix as a multiplier: ${key.name} = ${written} means ${withUnit(r.value, key.unit)}, not a time unit.`,
      replacements,
    });
  }
  if (key.floor !== undefined && value < key.floor) {
    const raised = key.floor;
    const how = value < 0 && key.negative ? `negative values are ${key.negative}` : `values below ${key.floor} are raised to ${key.floor}`;
    findings.push({
      code: 'below-floor',
      message: `${key.name} = ${written}: the plugin uses Math.max(${key.floor}, value), so ${how}; in effect: ${withUnit(raised, key.unit)}.`,
      replacements: [{ title: `Raise to ${raised}`, newText: String(raised) }],
    });
    value = raised;
    differs = true;
  } else if (key.floor === undefined && key.negative && value < 0) {
    findings.push({ code: 'negative-value', message: `${key.name} = ${written}: a negative value means ${key.negative}.` });
  }
  return { findings, effective: withUnit(value, key.unit), inline: withShortUnit(value, key.unit), differs };
}

function evaluateBool(section: SectionSpec, key: KeySpec, raw: string | null): Evaluation {
  const def = typeof key.default === 'boolean' ? key.default : false;
  const r = parseJGitBoolean(raw, jgitLabel(section, key), def);
  if (!r.ok) {
    return { findings: [{ code: 'invalid-bool', message: `${r.error} — JGit throws this when the plugin reads ${key.name}, so ${LOAD_FAILS}. Use true or false (or yes/no, on/off, 1/0).` }], differs: false };
  }
  // An empty value (and a bare key followed by a comment) is unset for JGit: the default.
  if (r.note) return { findings: [], effective: `${r.value} (the default: JGit reads no value here; git would read false)`, inline: `${r.value} (default)`, differs: true };
  const plain = raw !== null && (raw === 'true' || raw === 'false');
  return { findings: [], effective: String(r.value), inline: String(r.value), differs: !plain };
}

function evaluateDuration(section: SectionSpec, key: KeySpec, raw: string | null, subsection: string | null): Evaluation {
  const unit = (key.unit ?? 'seconds') as TimeUnit;
  const def = typeof key.default === 'number' ? key.default : 0;
  const r = parseGerritTime(raw, unit, gerritLabel(section, key, subsection), def);
  if (!r.ok) {
    return {
      findings: [{ code: 'invalid-duration', message: `${r.error} — Gerrit's time parser throws this, so ${LOAD_FAILS}. Write a number and a unit, e.g. ${key.example?.split('=')[1]?.trim() ?? '30s'}.` }],
      differs: false,
    };
  }
  const written = (raw ?? '').trim();
  const effective = r.value.ms === 0 ? '0 (none)' : formatDuration(r.value.ms);
  const findings: Finding[] = [];
  if (written !== '' && !r.value.explicitUnit && unit === 'milliseconds' && r.value.value !== 0) {
    findings.push({
      code: 'bare-milliseconds',
      message: `A bare number in ${key.name} is milliseconds: ${written} means ${formatDuration(r.value.ms)}. Write the unit, e.g. ${written}s for seconds.`,
      replacements: [{ title: `Write ${written}s (seconds)`, newText: `${written}s` }, { title: `Write ${written}ms (keep milliseconds)`, newText: `${written}ms` }],
    });
  }
  return { findings, effective, inline: written === '' ? `${effective} (default)` : effective, differs: written === '' || !r.value.explicitUnit };
}

function evaluateEnum(key: KeySpec, raw: string | null): Evaluation {
  if (key.unused || !key.enum) return { findings: [], differs: false };
  const v = raw ?? '';
  if (key.enum.includes(v)) return { findings: [], effective: v, differs: false };
  const fallback = String(key.default ?? key.enum[0]);
  const ci = key.enum.find((e) => e.toLowerCase() === v.trim().toLowerCase());
  const hint = ci ? ` Values are case-sensitive: did you mean '${ci}'?` : ` Known values: ${key.enum.join(', ')}.`;
  const plugin = key.name === 'remoteNameStyle' ? ` (it logs "Unknown remoteNameStyle: ${v}, falling back to slash" at FINE level)` : '';
  return {
    findings: [{
      code: 'invalid-enum',
      message: `Unknown ${key.name} '${v}': the plugin silently uses ${fallback}${plugin}.${hint}`,
      replacements: ci ? [{ title: `Change to '${ci}'`, newText: ci }] : key.enum.map((e) => ({ title: `Change to '${e}'`, newText: e })),
    }],
    effective: fallback,
    inline: `${fallback} (unknown value)`,
    differs: true,
  };
}

/** `2x`, `4 threads`: a plain number followed by letters that are no unit; the number is the intent. */
function strayNumber(written: string): Array<{ title: string; newText: string }> | undefined {
  const m = /^(-?\d+)\s*[a-z]+$/i.exec(written.trim());
  return m ? [{ title: `Write ${m[1]}`, newText: m[1] }] : undefined;
}
