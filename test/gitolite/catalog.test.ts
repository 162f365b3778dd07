// schemas/gitolite.catalog.json: valid against catalog.schema.json, and consistent with the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/helpers';
import { GITOLITE_CATALOG, optionEntry, permissionEntry } from '../../server/src/gitolite/gitoliteCatalog';
import { GITOLITE_RULES } from '../../server/src/gitolite/gitoliteRules';

type Schema = Record<string, any>;

/** type/enum/required/properties/additionalProperties:false/items/$ref: what catalog.schema.json uses. */
function check(v: unknown, s: Schema, root: Schema, path = '$'): string[] {
  if (s.$ref) return check(v, root.definitions[s.$ref.replace('#/definitions/', '')], root, path);
  const errs: string[] = [];
  if (s.enum && !s.enum.includes(v)) errs.push(`${path}: ${JSON.stringify(v)} not in enum`);
  const t = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
  if (s.type && s.type !== t) return [...errs, `${path}: expected ${s.type}, got ${t}`];
  if (Array.isArray(v) && s.items) v.forEach((x, i) => errs.push(...check(x, s.items, root, `${path}[${i}]`)));
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (!(r in o)) errs.push(`${path}: missing ${r}`);
    for (const [k, x] of Object.entries(o)) {
      if (s.properties?.[k]) errs.push(...check(x, s.properties[k], root, `${path}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${path}: unknown property ${k}`);
    }
  }
  return errs;
}

test('gitolite.catalog.json validates against catalog.schema.json (and the validator bites)', () => {
  const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'catalog.schema.json'), 'utf8'));
  const cat = JSON.parse(readFileSync(join(ROOT, 'schemas', 'gitolite.catalog.json'), 'utf8'));
  assert.deepEqual(check(cat, schema, schema), []);
  const broken = JSON.parse(JSON.stringify(cat));
  broken.gitolite.options[0].colour = 'red';
  delete broken.gitolite.rcKeys;
  const errs = check(broken, schema, schema);
  assert.ok(errs.some((e) => e.includes('unknown property colour')), errs.join('\n'));
  assert.ok(errs.some((e) => e.includes('missing rcKeys')), errs.join('\n'));
});

test('catalog lookups: every valid permission has a meaning, mirror option keys resolve', () => {
  for (const p of ['R', 'RW', 'RW+', '-', 'C', 'RWC', 'RW+DC', 'RWCDM', 'RW+M']) assert.ok(permissionEntry(p), p);
  assert.equal(permissionEntry('RWX'), undefined);
  assert.equal(optionEntry('mirror.copies-2')?.name, 'mirror.copies');
  assert.equal(optionEntry('mirror.copies.nosync-2')?.name, 'mirror.copies.nosync');
  assert.equal(optionEntry('mirror.redirectOK')?.name, 'mirror.redirectOK');
  assert.ok(GITOLITE_CATALOG.rcKeys.some((k) => k.name === 'HOSTNAME'));
  assert.ok(GITOLITE_CATALOG.enableNames.some((k) => k.name === 'Mirroring'));
});

test('rule codes are unique and stable-looking', () => {
  const codes = Object.keys(GITOLITE_RULES);
  for (const c of codes) assert.match(c, /^gl-[a-z0-9-]+$/);
});
