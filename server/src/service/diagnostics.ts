// The one shape of a rule and the one place a diagnostic gets its severity. Every format keeps
// its codes in a table declared `satisfies Record<string, Rule>` (replication/rules.ts,
// gitolite/rules.ts, service/hostRules.ts), so a code that is in no table does not compile; the
// reporters below take the table's keys only. The severity is resolved when the diagnostic is
// made: the rule's default, or what the caller asks for (a dropped remote demotes to info),
// then the user's override by code, which wins over both.
import type { Diagnostic } from 'vscode-languageserver';
import type { CheckDiagnostic } from '../protocol';
import { DiagnosticSeverity } from './lspConstants';

export interface Rule {
  severity: DiagnosticSeverity;
  description: string;
  /** The README table it is listed in, when a format has several (gitolite: compile, rc, mirror). */
  group?: string;
  /** The LSP `source` when the message is another tool's own (gitolite's FATAL/WARNING lines). */
  source?: 'gitolite';
}

export type Level = 'error' | 'warning' | 'info' | 'hint';

export const SOURCE = 'git-replication';

/** Severity → the word the CLI prints, the README shows and overrides use. */
export const LEVEL: Record<DiagnosticSeverity, Level> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** An override's word → severity; `off` (null) drops the diagnostic. `information` is accepted too. */
const OVERRIDE: Record<string, DiagnosticSeverity | null> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
  off: null,
};

/** The words `severityOverrides` accepts (the settings schema lists them). */
export const OVERRIDE_LEVELS = ['error', 'warning', 'info', 'hint', 'off'] as const;

export type SeverityOverrides = Record<string, string> | undefined;

/**
 * The severity a diagnostic is shown with: the user's override for its code when it is one of
 * the words above (anything else is ignored), else `severity`. null = off.
 */
export function resolveSeverity(code: string, severity: DiagnosticSeverity, overrides: SeverityOverrides): DiagnosticSeverity | null {
  if (!overrides) return severity;
  const o = overrides[code];
  if (o === undefined || !Object.prototype.hasOwnProperty.call(OVERRIDE, o)) return severity;
  return OVERRIDE[o];
}

export interface ReportExtra {
  /** Instead of the rule's default (before the user's override). */
  severity?: DiagnosticSeverity;
  relatedInformation?: Diagnostic['relatedInformation'];
  data?: unknown;
}

/**
 * The one way a diagnostic is made: a code of `table`, its range and message. Undefined when
 * the user turned the code off.
 */
export function makeDiagnostic<T extends Record<string, Rule>>(
  table: T, code: keyof T & string, range: Diagnostic['range'], message: string, overrides: SeverityOverrides, extra?: ReportExtra,
): Diagnostic | undefined {
  const rule = table[code];
  const severity = resolveSeverity(code, extra?.severity ?? rule.severity, overrides);
  if (severity === null) return undefined;
  const d: Diagnostic = { range, severity, code, source: rule.source ?? SOURCE, message };
  if (extra?.relatedInformation?.length) d.relatedInformation = extra.relatedInformation;
  if (extra?.data !== undefined) d.data = extra.data;
  return d;
}

/**
 * The same for a finding that has only a file and a line (the engine's, `check`'s own): the
 * record `check` prints, a whole line, with the rule's severity unless `severity` says otherwise.
 */
export function lineDiagnostic<T extends Record<string, Rule>>(
  table: T, code: keyof T & string, file: string, line: number, message: string, severity?: Level,
): CheckDiagnostic {
  return { file, line, column: 1, endLine: line, endColumn: 1, severity: severity ?? LEVEL[table[code].severity], code, message };
}
