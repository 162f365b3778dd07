// Defaults and floors of the keys the engine reads come from the key catalog
// (schemas/replication.catalog.json), so they are written down once for the editor, the README
// and the engine. A default naming another key ("replication.maxRetries") is resolved by site.ts.
import { REPLICATION_CATALOG, findKey, findSection } from '../../catalog/keyCatalog';

export function keyDefault(section: string, key: string): { default: unknown; floor?: number } {
  const s = findSection(REPLICATION_CATALOG, section);
  const k = s ? findKey(s, key) : undefined;
  return { default: k?.default, floor: k?.floor };
}
