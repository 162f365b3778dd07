import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/helpers';
import { findKey, findSection, REPLICATION_CATALOG, sectionsFor } from '../../server/src/catalog/keyCatalog';

type Schema = Record<string, any>;

/**
 * A validator for the part of JSON Schema draft-07 our catalog schema uses: type, enum,
 * required, properties, additionalProperties:false, items and local $ref. Unknown keywords
 * (description, default, $id) are annotations. Returns "path: problem" strings.
 */
function validateSubset(value: unknown, schema: Schema, root: Schema, path = '$'): string[] {
  if (schema.$ref) {
    const m = /^#\/definitions\/(.+)$/.exec(schema.$ref);
    if (!m || !root.definitions?.[m[1]]) return [`${path}: unresolvable $ref ${schema.$ref}`];
    return validateSubset(value, root.definitions[m[1]], root, path);
  }
  const errs: string[] = [];
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    errs.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (schema.type) {
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
    const okType = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!okType) return [...errs, `${path}: expected ${schema.type}, got ${actual}`];
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errs.push(...validateSubset(v, schema.items, root, `${path}[${i}]`)));
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) errs.push(`${path}: missing required "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      const sub = schema.properties?.[k];
      if (sub) errs.push(...validateSubset(v, sub, root, `${path}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${path}: unknown property "${k}"`);
    }
  }
  return errs;
}

const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'catalog.schema.json'), 'utf8'));
const catalog = JSON.parse(readFileSync(join(ROOT, 'schemas', 'replication.catalog.json'), 'utf8'));

test('the subset validator catches what it claims to', () => {
  assert.deepEqual(validateSubset({ format: 'gitconfig', sections: [] }, schema, schema), []);
  const bad = validateSubset(
    { format: 'yaml', sections: [{ name: 'x', subsection: 'none', doc: 'd', files: ['nope'], keys: [{ name: 'k', type: 'bool', doc: 'd', colour: 1 }] }] },
    schema,
    schema,
  );
  assert.ok(bad.some((e) => e.startsWith('$.format:')), bad.join('\n'));
  assert.ok(bad.some((e) => e.includes('files[0]')), bad.join('\n'));
  assert.ok(bad.some((e) => e.includes('unknown property "colour"')), bad.join('\n'));
  assert.ok(validateSubset({ sections: 1 }, schema, schema).some((e) => e.includes('missing required "format"')));
});

test('replication.catalog.json validates against catalog.schema.json', () => {
  assert.deepEqual(validateSubset(catalog, schema, schema), []);
});

// Every key of ../shared/spec/gerrit-replication.md §1a–1d.
const SPEC_KEYS: Record<string, string[]> = {
  gerrit: ['replicateOnStartup', 'autoReload', 'defaultForceUpdate', 'maxRefsToLog', 'maxRefsToShow', 'pushBatchSize', 'sshCommandTimeout', 'sshConnectionTimeout', 'useLegacyCredentials'],
  replication: ['distributionInterval', 'updateRefErrorMaxRetries', 'lockErrorMaxRetries', 'maxRetries', 'eventsDirectory', 'rsyncPath'],
  remote: [
    'url', 'adminUrl', 'push', 'fetch', 'timeout', 'receivepack', 'uploadpack', 'gitPath', 'mirror', 'replicationDelay', 'rescheduleDelay',
    'replicationRetry', 'replicationMaxRetries', 'drainQueueAttempts', 'threads', 'authGroup', 'createMissingRepositories',
    'replicatePermissions', 'replicateProjectDeletions', 'replicateHiddenProjects', 'remoteNameStyle', 'projects', 'excludeProjects',
    'slowLatencyThreshold', 'pushBatchSize', 'replicateNoteDbMetaRefs', 'excludedRefsPattern', 'storeRefLog', 'urlDistributionStrategy',
    'pushurl', 'tagopt',
  ],
};

test('every key of the spec is in the catalog, with the spec facts', () => {
  for (const [section, keys] of Object.entries(SPEC_KEYS)) {
    const s = findSection(REPLICATION_CATALOG, section, 'replication');
    assert.ok(s, section);
    for (const k of keys) assert.ok(findKey(s, k), `${section}.${k} missing`);
  }
  const secure = findSection(REPLICATION_CATALOG, 'remote', 'secure')!;
  assert.deepEqual(secure.keys.map((k) => k.name), ['username', 'password']);
  const remote = findSection(REPLICATION_CATALOG, 'remote', 'replication')!;
  const key = (n: string) => findKey(remote, n)!;
  assert.equal(key('rescheduleDelay').floor, 3);
  assert.equal(key('replicationRetry').unit, 'minutes');
  assert.equal(key('replicationDelay').codeName, 'replicationdelay');
  assert.equal(key('pushurl').unused, true);
  assert.equal(key('tagopt').unused, true);
  assert.equal(key('urlDistributionStrategy').onlyOn, 'stable-3.11');
  assert.deepEqual(key('remoteNameStyle').enum, ['slash', 'dash', 'underscore', 'basenameOnly']);
  assert.equal(key('remoteNameStyle').enumCaseSensitive, true);
  assert.equal(key('url').multi, true);
  const gerrit = findSection(REPLICATION_CATALOG, 'gerrit')!;
  assert.equal(findKey(gerrit, 'sshConnectionTimeout')!.unit, 'milliseconds');
  assert.deepEqual(findKey(gerrit, 'autoReload')!.files, ['replication']);
});

test('every key has a doc paragraph and an example that names it', () => {
  for (const s of REPLICATION_CATALOG.sections) {
    assert.ok(s.doc.length > 20, s.name);
    for (const k of s.keys) {
      assert.ok(k.doc.length > 30, `${s.name}.${k.name} doc`);
      assert.ok(k.example, `${s.name}.${k.name} example`);
      assert.match(k.example!, new RegExp(`^${k.name}\\s*=`), `${s.name}.${k.name} example`);
      if (k.type === 'enum') assert.ok(k.enum && k.enum.length > 0, `${s.name}.${k.name} enum`);
    }
  }
  assert.deepEqual(sectionsFor(REPLICATION_CATALOG, 'secure').map((s) => s.name), ['remote', 'include']);
  assert.deepEqual(sectionsFor(REPLICATION_CATALOG, 'fanout').map((s) => s.name), ['gerrit', 'replication', 'remote', 'url']);
});
