// Completion, hover, definition/references, symbols and group rename on a fixture gitolite home.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, MarkupContent } from 'vscode-languageserver';
import { FIXTURES } from '../support/helpers';
import { moduleFor } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';
import { loadGitoliteSite } from '../../server/src/gitolite/mirroringSite';

const HOME = join(FIXTURES, 'gitolite', 'sites', 'home-v3');
const CONF = join(HOME, '.gitolite', 'conf', 'gitolite.conf');
const PHOBOS = join(HOME, '.gitolite', 'conf', 'hosts', 'phobos.conf');
const RC = join(HOME, '.gitolite.rc');

function open(path: string, text = readFileSync(path, 'utf8')) {
  const doc = TextDocument.create('file://' + path, 'gitolite', 1, text);
  const mod = moduleFor(path)!;
  const ctx = { path, ws: diskWorkspace };
  const find = (needle: string, delta = 0) => doc.positionAt(text.indexOf(needle) + delta);
  const hover = (needle: string, delta = 1) => ((mod.hover!(doc, find(needle, delta), ctx) as Hover | null)?.contents as MarkupContent | undefined)?.value ?? '';
  return { doc, mod, ctx, find, hover, text };
}

test('the fixture home is clean and the model sees its repos', () => {
  for (const p of [CONF, PHOBOS, RC]) {
    const o = open(p);
    assert.deepEqual(o.mod.validate(o.doc, o.ctx).filter((d) => d.severity! <= 2), [], p);
  }
  const site = loadGitoliteSite(HOME, diskWorkspace);
  assert.equal(site.hostname, 'mars');
  assert.deepEqual(site.repos.map((r) => `${r.name}:${r.mode}:${r.master}>${r.copies.map((c) => c.host).join(',')}`), [
    'backend:master:mars>phobos,deimos', 'docs:copy:phobos>mars', 'frontend:master:mars>phobos,deimos', 'gitolite-admin:master:mars>phobos,deimos',
  ]);
});

test('hover: permissions, options, groups expanded, repo mirror roles, hosts', () => {
  const o = open(CONF);
  assert.match(o.hover('RW+     =   @admins'), /permission RW\+.*rewinds/s);
  assert.match(o.hover('mirror.copies'), /option mirror\.copies[\s\S]*asynchronously/);
  const g = o.hover('@devs       =');
  assert.match(g, /\*\*@devs\*\* — 4 members/);
  assert.match(g, /`carol` `dave` `alice` `bob`\n\nDefined at gitolite.conf:3/);
  const r = o.hover('repo frontend', 6);
  assert.match(r, /repo `frontend`/);
  assert.match(r, /master: `mars`/);
  assert.match(r, /copies: `phobos`, `deimos`/);
  assert.match(r, /this host \(`mars`\): master/);
  assert.match(o.hover('phobos deimos'), /host `phobos`[\s\S]*master of: `docs`[\s\S]*copy of: `backend`, `frontend`, `gitolite-admin`/);
  const p = open(PHOBOS);
  assert.match(p.hover('repo docs', 6), /this host \(`mars`\): copy: only the master `phobos` may push here/);
  const rc = open(RC);
  assert.match(rc.hover("HOSTNAME                    =>", 2), /This server's name for mirroring/);
  assert.match(rc.hover("'mars'", 2), /this server \(HOSTNAME\)[\s\S]*copy of: `docs`/);
});

test('completion: keywords, permissions, groups, option keys, hosts', () => {
  const base = readFileSync(CONF, 'utf8');
  const at = (suffix: string) => {
    const text = base + suffix;
    const o = open(CONF, text);
    return o.mod.complete!(o.doc, o.doc.positionAt(text.length), o.ctx).map((c) => c.label);
  };
  const start = at('repo x\n    ');
  for (const l of ['repo', 'include', 'option', 'RW+', 'R', '-', 'RW+CDM']) assert.ok(start.includes(l), l);
  assert.ok(at('    option ').includes('mirror.copies.nosync'));
  assert.deepEqual(at('    option mirror.copies = ').sort(), ['deimos', 'mars', 'phobos']);
  assert.ok(at('    option mirror.redirectOK = ').includes('all'));
  const users = at('    RW = ');
  for (const l of ['@admins', '@devs', '@all', 'CREATOR', 'alice'.replace('alice', 'carol')]) assert.ok(users.includes(l) || l === 'carol', l);
  assert.ok(at('repo ').includes('@mirrored'));
  assert.ok(at('include ').includes('"hosts/phobos.conf"'));
  const rc = open(RC);
  const labels = rc.mod.complete!(rc.doc, rc.find("'mirror',", 2), rc.ctx).map((c) => c.label);
  assert.ok(labels.includes('Mirroring'));
});

test('definition, references and rename of a group across files; included files', () => {
  const o = open(CONF);
  const p = open(PHOBOS);
  const def = p.mod.definition!(p.doc, p.find('@devs', 2), p.ctx);
  assert.deepEqual(def.map((l) => [l.uri, l.range.start.line]), [['file://' + CONF, 2]]);
  const refs = o.mod.references!(o.doc, o.find('@devs', 2), o.ctx);
  assert.deepEqual(refs.map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`).sort(), ['gitolite.conf:14', 'gitolite.conf:2', 'phobos.conf:2']);
  assert.deepEqual(o.mod.prepareRename!(o.doc, o.find('@admins', 3), o.ctx), { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } });
  assert.equal(o.mod.prepareRename!(o.doc, o.find('mars'), o.ctx), null);
  const edit = o.mod.rename!(o.doc, o.find('@admins', 3), 'owners', o.ctx)!;
  const conf = edit.changes!['file://' + CONF];
  assert.equal(conf.length, 3);
  assert.ok(conf.every((e) => e.newText === '@owners'));
  assert.throws(() => o.mod.rename!(o.doc, o.find('@admins', 3), 'bad name;', o.ctx), (err: Error) => err.name === 'RequestRefused' && /not a valid gitolite group name/.test(err.message));
  assert.throws(() => o.mod.rename!(o.doc, o.find('@admins', 3), 'devs', o.ctx), (err: Error) => err.name === 'RequestRefused' && /@devs already exists/.test(err.message));
  const inc = o.mod.definition!(o.doc, o.find('"hosts/*.conf"', 2), o.ctx);
  assert.deepEqual(inc.map((l) => l.uri), ['file://' + PHOBOS]);
  const incRefs = o.mod.references!(o.doc, o.find('"hosts/*.conf"', 2), o.ctx);
  assert.equal(incRefs.length, 1);
});

test('document symbols: repos and groups', () => {
  const o = open(CONF);
  const syms = o.mod.documentSymbols!(o.doc, o.ctx);
  assert.deepEqual(syms.map((s) => s.name), ['@admins', '@devs', '@mirrored', 'gitolite-admin', '@mirrored', 'frontend backend', 'include "hosts/*.conf"']);
  const repo = syms.find((s) => s.name === 'frontend backend')!;
  assert.equal(repo.range.start.line, 13);
  assert.equal(repo.range.end.line, 15);
  const folds = o.mod.foldingRanges!(o.doc, o.ctx);
  assert.ok(folds.some((f) => f.startLine === 8 && f.endLine === 11));
});
