// The generated part of package.json: the codes `gitReplication.severityOverrides` accepts,
// from every rule table, so the settings editor completes them and flags a misspelt one.
// `npm run docs` writes it; a test fails when package.json is out of date.
import { LEVEL, OVERRIDE_LEVELS } from '../service/diagnostics';
import { allRuleCodes } from './ruleTables';

export const OVERRIDES_SETTING = 'gitReplication.severityOverrides';

interface Manifest {
  contributes: { configuration: { properties: Record<string, Record<string, unknown>> } | Array<{ properties: Record<string, Record<string, unknown>> }> };
}

/** The setting's schema inside a manifest (contributes.configuration may be one object or a list). */
export function overridesSchema(pkg: Manifest): Record<string, unknown> {
  const conf = pkg.contributes.configuration;
  for (const c of Array.isArray(conf) ? conf : [conf]) if (c.properties[OVERRIDES_SETTING]) return c.properties[OVERRIDES_SETTING];
  throw new Error(`package.json lacks the setting ${OVERRIDES_SETTING}`);
}

/** package.json (as text, 2-space JSON) with the setting's list of codes regenerated. */
export function updateManifest(text: string): string {
  const pkg = JSON.parse(text) as Manifest;
  const schema = overridesSchema(pkg);
  const codes = allRuleCodes();
  schema.additionalProperties = { type: 'string', enum: [...OVERRIDE_LEVELS] };
  // Key completion and a warning on unknown codes; the value is checked by additionalProperties.
  schema.propertyNames = {
    enum: codes.map((c) => c.code),
    markdownEnumDescriptions: codes.map((c) => `(${LEVEL[c.rule.severity]}) ${c.rule.description}`),
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}
