// The generated parts of README.md: the key reference (from the catalog) and a table of
// diagnostic codes per rule table (and per group of one: gitolite's compile, rc and mirror
// rules). `npm run docs` writes them; a test fails when the README is out of date.
import { REPLICATION_CATALOG } from '../catalog/keyCatalog';
import { renderKeyReference } from '../catalog/reference';
import { RULES } from '../replication/checks/replicationRules';
import { RULE_TABLES, renderRuleTable } from './ruleTables';

export const KEY_MARKER = '<!-- generated from schemas/replication.catalog.json by `npm run docs`; do not edit by hand -->';
export const RULES_END = '<!-- end of generated diagnostics table -->';

/** The line that opens the generated table of a rule table (or one group of it). */
export function rulesMarker(source: string, group?: string): string {
  return `<!-- generated from ${source}${group ? ` (${group})` : ''} by \`npm run docs\`; do not edit by hand -->`;
}

export const RULES_START = rulesMarker('server/src/replication/checks/replicationRules.ts');

/** Every generated rule table: its opening marker and its text. */
export function ruleSections(): Array<{ marker: string; table: string }> {
  const out: Array<{ marker: string; table: string }> = [];
  for (const t of RULE_TABLES) {
    const groups = [...new Set(Object.values(t.rules).map((r) => r.group))];
    if (groups.length === 1 && groups[0] === undefined) out.push({ marker: rulesMarker(t.source), table: renderRuleTable(t.rules) });
    else for (const g of groups) out.push({ marker: rulesMarker(t.source, g ?? 'other'), table: renderRuleTable(t.rules, g) });
  }
  return out;
}

export function renderRulesTable(): string {
  return renderRuleTable(RULES);
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

  for (const { marker, table } of ruleSections()) {
    const a = out.indexOf(marker);
    const b = a < 0 ? -1 : out.indexOf(RULES_END, a);
    if (a < 0 || b < 0) throw new Error(`README.md lacks the diagnostics table markers: ${marker} … ${RULES_END}`);
    out = out.slice(0, a + marker.length) + '\n\n' + table + '\n\n' + out.slice(b);
  }
  return out;
}
