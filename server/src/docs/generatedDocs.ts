// The generated parts of the documentation (README.md and docs/*.md): the key reference (from
// the catalog) and a table of diagnostic codes per rule table (and per group of one: gitolite's
// compile, rc and mirror rules). Each part sits behind its marker, in whichever file holds it,
// so a section can move between files without touching this. `npm run docs` writes them; a
// test fails when a file is out of date.
import { REPLICATION_CATALOG } from '../catalog/keyCatalog';
import { renderKeyReference } from '../catalog/reference';
import { RULES } from '../replication/checks/replicationRules';
import { RULE_TABLES, renderRuleTable } from './ruleTables';

export const KEY_MARKER = '<!-- generated from schemas/replication.catalog.json by `npm run docs`; do not edit by hand -->';
export const RULES_END = '<!-- end of generated diagnostics table -->';

/** The documentation files by path relative to the repository (README.md, docs/….md) and their text. */
export type DocSet = Record<string, string>;

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

/** The file of the set that holds marker (the first, in path order). */
export function holderOf(docs: DocSet, marker: string): string | undefined {
  return Object.keys(docs).sort().find((f) => docs[f].includes(marker));
}

/** The key reference replaced in one text: from its marker to the next `## ` heading or the end. */
function withKeyReference(text: string): string {
  const k = text.indexOf(KEY_MARKER);
  const afterMarker = k + KEY_MARKER.length;
  const next = text.slice(afterMarker).search(/\n## /);
  const end = next < 0 ? text.length : afterMarker + next + 1;
  return text.slice(0, afterMarker) + '\n\n' + renderKeyReference(REPLICATION_CATALOG).trimEnd() + '\n' + (next < 0 ? '' : '\n') + text.slice(end);
}

/** The set with every generated part replaced. Throws when a marker is in no file. */
export function updateDocs(docs: DocSet): DocSet {
  const out = { ...docs };
  const kf = holderOf(out, KEY_MARKER);
  if (!kf) throw new Error(`no documentation file holds the key reference marker: ${KEY_MARKER}`);
  out[kf] = withKeyReference(out[kf]);
  for (const { marker, table } of ruleSections()) {
    const f = holderOf(out, marker);
    const text = f === undefined ? '' : out[f];
    const a = text.indexOf(marker);
    const b = a < 0 ? -1 : text.indexOf(RULES_END, a);
    if (f === undefined || b < 0) throw new Error(`no documentation file holds the diagnostics table markers: ${marker} … ${RULES_END}`);
    out[f] = text.slice(0, a + marker.length) + '\n\n' + table + '\n\n' + text.slice(b);
  }
  return out;
}
