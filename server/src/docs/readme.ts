// The generated parts of README.md: the key reference (from the catalog) and the table of
// replication diagnostics (from the rule table). `npm run docs` writes them; a test fails
// when the README is out of date.
import { DiagnosticSeverity } from '../service/lspConstants';
import { REPLICATION_CATALOG } from '../catalog/catalog';
import { renderKeyReference } from '../catalog/reference';
import { RULES } from '../replication/rules';

export const KEY_MARKER = '<!-- generated from schemas/replication.catalog.json by `npm run docs`; do not edit by hand -->';
export const RULES_START = '<!-- generated from server/src/replication/rules.ts by `npm run docs`; do not edit by hand -->';
export const RULES_END = '<!-- end of generated diagnostics table -->';

const SEVERITY: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

export function renderRulesTable(): string {
  const rows = Object.entries(RULES).map(([code, r]) => `| \`${code}\` | ${SEVERITY[r.severity]} | ${r.description.replace(/\|/g, '\\|')} |`);
  return ['| Code | Default severity | What it reports |', '|---|---|---|', ...rows].join('\n');
}

/** README with both generated parts replaced. Throws when a marker is missing. */
export function updateReadme(readme: string): string {
  let out = readme;
  const k = out.indexOf(KEY_MARKER);
  if (k < 0) throw new Error(`README.md lacks the key reference marker: ${KEY_MARKER}`);
  const afterMarker = k + KEY_MARKER.length;
  const next = out.slice(afterMarker).search(/\n## /);
  const end = next < 0 ? out.length : afterMarker + next + 1;
  out = out.slice(0, afterMarker) + '\n\n' + renderKeyReference(REPLICATION_CATALOG).trimEnd() + '\n' + (next < 0 ? '' : '\n') + out.slice(end);

  const a = out.indexOf(RULES_START);
  const b = out.indexOf(RULES_END);
  if (a < 0 || b < a) throw new Error(`README.md lacks the diagnostics table markers: ${RULES_START} … ${RULES_END}`);
  out = out.slice(0, a + RULES_START.length) + '\n\n' + renderRulesTable() + '\n\n' + out.slice(b);
  return out;
}
