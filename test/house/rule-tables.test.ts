// One rule table per format, one way to report: a code that is in no table does not compile,
// the README's tables and the severityOverrides setting's codes are generated from the tables,
// and the user's overrides are applied where a diagnostic is reported, for every format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ROOT } from '../support/helpers';
import { memoryWorkspace } from '../support/replication-helpers';
import { validate } from '../../server/src/formats';
import { checkFiles } from '../../server/src/formats/checkFiles';
import { RULES_END, rulesMarker, ruleSections, updateDocs } from '../../server/src/docs/generatedDocs';
import { allDocs, editDocs, readDocs } from '../support/docs';
import { overridesSchema, updateManifest } from '../../server/src/docs/manifest';
import { allRuleCodes, RULE_TABLES } from '../../server/src/docs/ruleTables';
import { GITOLITE_RULES } from '../../server/src/gitolite/gitoliteRules';
import { OVERRIDE_LEVELS } from '../../server/src/service/diagnostics';

const E = 1, W = 2, I = 3, H = 4;
const docs = readDocs();
const readme = allDocs(docs);
const manifestText = readFileSync(join(ROOT, 'package.json'), 'utf8');

// --- a code that is in no table does not compile -------------------------------------------

const SRC = join(ROOT, 'server', 'src');
/** Each reporting path of the product, called with `CODE` (a placeholder replaced per case). */
const PROBE = `
import type { Range } from 'vscode-languageserver';
import type { GlDiag } from '${SRC}/gitolite/diag';
import type { CheckContext } from '${SRC}/replication/context';
import { lineDiagnostic, makeDiagnostic } from '${SRC}/service/diagnostics';
import { RULES } from '${SRC}/replication/checks/replicationRules';
import { HOST_RULES } from '${SRC}/service/hostRules';
import { GITOLITE_RULES } from '${SRC}/gitolite/gitoliteRules';
const range: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
export const gitolite: GlDiag = { file: 'f', range, code: GL_CODE, message: 'm' };
export function replication(c: CheckContext): void { c.report(REPL_CODE, { start: 0, end: 0 }, 'm'); }
export const host = makeDiagnostic(HOST_RULES, HOST_CODE, range, 'm', undefined);
export const engineLine = lineDiagnostic(RULES, REPL_CODE, 'f', 1, 'm', 'error');
export const viaTable = makeDiagnostic(GITOLITE_RULES, GL_CODE, range, 'm', {});
`;

function typeErrors(files: Record<string, string>): Array<{ file: string; line: number; text: string }> {
  // Inside the repository, so the probes resolve its node_modules as the sources do.
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'out', 'rule-probe-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    });
    const cfg = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const opts = ts.parseJsonConfigFileContent(cfg.config, ts.sys, ROOT).options;
    const program = ts.createProgram(paths, { ...opts, noEmit: true, rootDir: undefined, outDir: undefined });
    return ts.getPreEmitDiagnostics(program).map((d) => ({
      file: d.file ? d.file.fileName : '',
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a rule code that is in no table does not compile, on every reporting path', () => {
  const good = { GL_CODE: "'gl-syntax'", REPL_CODE: "'unknown-key'", HOST_CODE: "'unreadable'" };
  const fill = (v: Record<string, string>) => PROBE.replace(/\b(GL_CODE|REPL_CODE|HOST_CODE)\b/g, (k) => v[k]);
  const cases: Record<string, string> = {
    'good.ts': fill(good),
    // a misspelt gitolite code, in a GlDiag and through the table
    'gl.ts': fill({ ...good, GL_CODE: "'gl-sytnax'" }),
    // another table's code is not a replication code, and the reverse
    'repl.ts': fill({ ...good, REPL_CODE: "'gl-syntax'" }),
    'host.ts': fill({ ...good, HOST_CODE: "'unknown-key'" }),
  };
  const errs = typeErrors(cases);
  const of = (name: string) => errs.filter((e) => e.file.endsWith('/' + name));
  assert.deepEqual(of('good.ts'), [], 'the valid codes compile');
  const line = (name: string, re: RegExp) => cases[name].split('\n').findIndex((l) => re.test(l));
  assert.deepEqual(of('gl.ts').map((e) => e.line).sort(), [line('gl.ts', /^export const gitolite/), line('gl.ts', /^export const viaTable/)].sort(), JSON.stringify(of('gl.ts')));
  for (const e of of('gl.ts')) assert.match(e.text, /'"gl-sytnax"' is not assignable/);
  assert.deepEqual(of('repl.ts').map((e) => e.line).sort(), [line('repl.ts', /^export function replication/), line('repl.ts', /^export const engineLine/)].sort(), JSON.stringify(of('repl.ts')));
  assert.deepEqual(of('host.ts').map((e) => e.line), [line('host.ts', /^export const host/)], JSON.stringify(of('host.ts')));
});

test('no code is in two tables, and every code looks like one', () => {
  const all = allRuleCodes();
  assert.equal(new Set(all.map((c) => c.code)).size, all.length);
  for (const { code, rule } of all) {
    assert.match(code, /^[a-z][a-z0-9-]*$/, code);
    assert.ok([E, W, I, H].includes(rule.severity), code);
    assert.ok(rule.description.length > 10, code);
  }
  for (const code of Object.keys(GITOLITE_RULES)) assert.match(code, /^gl-/);
});

// --- generated documentation --------------------------------------------------------------

test('the docs have a generated table for every rule table and group, each listing exactly its codes', () => {
  assert.deepEqual(updateDocs(docs), docs, 'the docs are out of date: run `npm run docs`');
  for (const t of RULE_TABLES) {
    const groups = [...new Set(Object.values(t.rules).map((r) => r.group))];
    for (const [code, r] of Object.entries(t.rules)) {
      const marker = groups.length === 1 && groups[0] === undefined ? rulesMarker(t.source) : rulesMarker(t.source, r.group ?? 'other');
      const a = readme.indexOf(marker);
      assert.ok(a >= 0, marker);
      const section = readme.slice(a, readme.indexOf(RULES_END, a));
      assert.ok(section.includes(`| \`${code}\` |`), `${code} in ${marker}`);
    }
  }
  const rows = ruleSections().reduce((n, s) => n + s.table.split('\n').length - 2, 0);
  assert.equal(rows, allRuleCodes().length);
});

test('a hand-edited or stale gitolite table is regenerated; a missing marker is an error', () => {
  const edited = editDocs(docs, '| `gl-no-rules` | error |', '| `gl-no-rules` | warning |');
  assert.notDeepEqual(edited, docs);
  assert.deepEqual(updateDocs(edited), docs);
  const dropped = editDocs(docs, /\| `gl-mirror-nosync` \|[^\n]*\n/, '');
  assert.notDeepEqual(dropped, docs);
  assert.deepEqual(updateDocs(dropped), docs);
  assert.throws(() => updateDocs(editDocs(docs, rulesMarker('server/src/gitolite/gitoliteRules.ts', 'mirror'), '')), /markers/);
  assert.throws(() => updateDocs(editDocs(docs, rulesMarker('server/src/service/hostRules.ts'), '')), /markers/);
});

test('package.json: severityOverrides lists every code of every table, and its example names one', () => {
  assert.equal(updateManifest(manifestText), manifestText, 'package.json is out of date: run `npm run docs`');
  const schema = overridesSchema(JSON.parse(manifestText)) as { propertyNames: { enum: string[] }; additionalProperties: { enum: string[] }; markdownDescription: string };
  assert.deepEqual(schema.propertyNames.enum, allRuleCodes().map((c) => c.code));
  assert.deepEqual(schema.additionalProperties.enum, [...OVERRIDE_LEVELS]);
  const example = /\{ \\?"([^"\\]+)\\?": \\?"(\w+)\\?" \}/.exec(schema.markdownDescription);
  assert.ok(example, schema.markdownDescription);
  assert.ok(schema.propertyNames.enum.includes(example[1]), `the example names '${example[1]}', which is no code`);
  assert.ok((OVERRIDE_LEVELS as readonly string[]).includes(example[2]));
  // A stale list (a code added to a table, not yet to package.json) is regenerated.
  const stale = manifestText.replace('"gl-mirror-nosync",\n', '');
  assert.notEqual(stale, manifestText);
  assert.equal(updateManifest(stale), manifestText);
});

// --- severity and overrides, resolved where a diagnostic is reported ----------------------

const REPL = '/srv/o/etc/replication.config';
const replDoc = (text: string, path = REPL) => TextDocument.create('file://' + path, 'gerrit-replication', 1, text);
const sev = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code).map((d) => d.severity);

test('replication: overrides change a severity or turn a code off; unknown words are ignored', () => {
  const text = '[remote "a"]\n  url = ssh://h/${name}.git\n  colour = red\n  threads = 4x\n';
  const ws = memoryWorkspace({ [REPL]: text });
  const run = (o?: Record<string, string>) => validate(replDoc(text), { path: REPL, ws, severityOverrides: o });
  assert.deepEqual(sev(run(), 'unknown-key'), [W]);
  assert.deepEqual(sev(run(), 'invalid-int'), [E]);
  assert.deepEqual(sev(run({ 'unknown-key': 'error' }), 'unknown-key'), [E]);
  assert.deepEqual(sev(run({ 'unknown-key': 'information' }), 'unknown-key'), [I]);
  assert.deepEqual(sev(run({ 'unknown-key': 'hint', 'invalid-int': 'info' }), 'invalid-int'), [I]);
  assert.deepEqual(sev(run({ 'unknown-key': 'off' }), 'unknown-key'), []);
  assert.deepEqual(sev(run({ 'unknown-key': 'loud' }), 'unknown-key'), [W]);
  assert.deepEqual(sev(run({ 'unknown-key': 'toString' }), 'unknown-key'), [W]);
  // Turning a code off in one run does not hide it from the next (values found clean are cached).
  assert.deepEqual(sev(run({ 'invalid-int': 'off' }), 'invalid-int'), []);
  assert.deepEqual(sev(run(), 'invalid-int'), [E]);
  // Only the overridden code changes.
  const plain = run().filter((d) => d.code !== 'unknown-key');
  assert.deepEqual(run({ 'unknown-key': 'off' }), plain);
});

test('replication: a remote dropped for etc/replication/ is demoted to info, and an override still wins', () => {
  const text = '[remote "a"]\n  url = ssh://h/fixed.git\n  threads = 4x\n';
  const ws = memoryWorkspace({ [REPL]: text, '/srv/o/etc/replication/b.config': '[remote]\n  url = ssh://b/${name}.git\n' });
  const run = (o?: Record<string, string>) => validate(replDoc(text), { path: REPL, ws, severityOverrides: o });
  assert.deepEqual(sev(run(), 'invalid-int'), [I]);
  assert.deepEqual(sev(run(), 'missing-name'), [I]);
  assert.deepEqual(sev(run({ 'invalid-int': 'error' }), 'invalid-int'), [E]);
  assert.deepEqual(sev(run({ 'invalid-int': 'off' }), 'invalid-int'), []);
  assert.deepEqual(sev(run({ 'invalid-int': 'off' }), 'missing-name'), [I]);
  assert.deepEqual(sev(run({ 'fanout-remote-ignored': 'off' }), 'invalid-int'), [I]);
});

test('gitolite conf and rc: overrides apply to compile, mirror and rc codes', () => {
  const conf = '/srv/gl/conf/gitolite.conf';
  const rc = '/srv/gl/.gitolite.rc';
  const confText = 'repo foo\n    RW+ = alice\n    this is not a rule\n';
  const rcText = '%RC = ( HOSTNAME => $ENV{HOST}, );\n1;\n';
  const lone = { [conf]: confText };
  const paired = { [conf]: confText, [rc]: rcText };
  const runConf = (files: Record<string, string>, o?: Record<string, string>) =>
    validate(TextDocument.create('file://' + conf, 'gitolite', 1, confText), { path: conf, ws: memoryWorkspace(files), severityOverrides: o });
  const runRc = (o?: Record<string, string>) =>
    validate(TextDocument.create('file://' + rc, 'gitolite-rc', 1, rcText), { path: rc, ws: memoryWorkspace(paired), severityOverrides: o });
  assert.deepEqual(sev(runConf(lone), 'gl-syntax'), [W]);
  assert.equal(runConf(lone).find((d) => d.code === 'gl-syntax')?.source, 'gitolite');
  assert.deepEqual(sev(runConf(lone, { 'gl-syntax': 'error' }), 'gl-syntax'), [E]);
  assert.deepEqual(sev(runConf(lone, { 'gl-syntax': 'off' }), 'gl-syntax'), []);
  // The one diagnostic gitolite/index.ts used to build by hand.
  assert.deepEqual(sev(runConf(lone), 'gl-rc-not-found'), [I]);
  assert.equal(runConf(lone).find((d) => d.code === 'gl-rc-not-found')?.source, 'git-replication');
  assert.deepEqual(sev(runConf(lone, { 'gl-rc-not-found': 'off' }), 'gl-rc-not-found'), []);
  assert.deepEqual(sev(runConf(lone, { 'gl-rc-not-found': 'warning' }), 'gl-rc-not-found'), [W]);
  assert.deepEqual(sev(runConf(paired), 'gl-rc-not-found'), []);
  // The rc reader's notes.
  assert.deepEqual(sev(runRc(), 'gl-rc-unreadable'), [I]);
  assert.deepEqual(sev(runRc({ 'gl-rc-unreadable': 'hint' }), 'gl-rc-unreadable'), [H]);
  assert.deepEqual(sev(runRc({ 'gl-rc-unreadable': 'off' }), 'gl-rc-unreadable'), []);
});

test('check: an unreadable file is the host table\'s code, with its severity', () => {
  const ws = memoryWorkspace({});
  assert.deepEqual(checkFiles([{ path: REPL, display: 'etc/replication.config' }], ws), [
    { file: 'etc/replication.config', line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error', code: 'unreadable', message: 'cannot read the file' },
  ]);
});
