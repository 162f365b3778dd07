// Every rule table of the product, each with where it is documented: the README's tables of
// diagnostic codes and the list of codes in the `severityOverrides` setting are generated from
// these, so adding a code is one table entry (and `npm run docs`).
import { GITOLITE_RULES } from '../gitolite/gitoliteRules';
import { RULES as REPLICATION_RULES } from '../replication/checks/replicationRules';
import { HOST_RULES } from '../service/hostRules';
import { LEVEL, type Rule } from '../service/diagnostics';

export interface RuleTable {
  /** Names the README's marker: `<!-- generated from <source> … -->`. */
  source: string;
  rules: Record<string, Rule>;
}

/** In the order the README shows them; a group of a table is its own README table. */
export const RULE_TABLES: readonly RuleTable[] = [
  { source: 'server/src/replication/checks/replicationRules.ts', rules: REPLICATION_RULES },
  { source: 'server/src/gitolite/gitoliteRules.ts', rules: GITOLITE_RULES },
  { source: 'server/src/service/hostRules.ts', rules: HOST_RULES },
];

/** Every code of every table, in table order. Throws when two tables claim one code. */
export function allRuleCodes(): Array<{ code: string; rule: Rule }> {
  const out: Array<{ code: string; rule: Rule }> = [];
  const seen = new Map<string, string>();
  for (const t of RULE_TABLES)
    for (const [code, rule] of Object.entries(t.rules)) {
      const other = seen.get(code);
      if (other) throw new Error(`rule code '${code}' is in both ${other} and ${t.source}`);
      seen.set(code, t.source);
      out.push({ code, rule });
    }
  return out;
}

/** The README table of one rule table (or of one group of it). */
export function renderRuleTable(rules: Record<string, Rule>, group?: string): string {
  const rows = Object.entries(rules)
    .filter(([, r]) => group === undefined || r.group === group)
    .map(([code, r]) => `| \`${code}\` | ${LEVEL[r.severity]} | ${r.description.replace(/\|/g, '\\|')} |`);
  return ['| Code | Default severity | What it reports |', '|---|---|---|', ...rows].join('\n');
}
