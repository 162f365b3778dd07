// Groups defined inside a subconf are prefixed by gitolite (`@devs` in subconf sam becomes
// `@sam.devs` from its defining line on): hover, definition, references and rename must follow
// the group gitolite really uses. Debian's gitolite3 compiles the same fixture in a scratch HOME,
// and its compiled rules (which group each rule names) and groups (members) are compared with
// what the editor features say; each rename is applied and recompiled, and must leave every
// rule's effective users unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Hover, Location, MarkupContent, WorkspaceEdit } from 'vscode-languageserver';
import { FIXTURES, scratch } from '../support/helpers';
import { moduleFor } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';

const FIXTURE = join(FIXTURES, 'gitolite', 'subconf-groups');
const FILES = readdirSync(FIXTURE).filter((f) => f.endsWith('.conf'));

interface Compiled { groups: Record<string, string[]>; repos: Record<string, Record<string, Array<[number, string, string]>>> }

/** A gitolite home made by Debian's gitolite3, with the fixture as its conf. */
function home() {
  assert.ok(existsSync('/usr/bin/gitolite'), 'gitolite3 is not installed (apt-get install gitolite3)');
  const s = scratch('gr-gl-subgrp-');
  const env = { PATH: process.env.PATH, HOME: s.dir, LANG: 'C' };
  const setup = spawnSync('gitolite', ['setup', '-a', 'admin'], { env, encoding: 'utf8' });
  assert.equal(setup.status, 0, setup.stderr);
  const confDir = join(s.dir, '.gitolite', 'conf');
  for (const f of FILES) cpSync(join(FIXTURE, f), join(confDir, f));
  /** `gitolite compile`, then its groups and the rules of repos sam and kim, read by Perl. */
  const compile = (): Compiled => {
    const c = spawnSync('gitolite', ['compile'], { env, encoding: 'utf8' });
    assert.equal(c.status, 0, c.stderr);
    assert.deepEqual(c.stderr.split('\n').filter((l) => /^(FATAL|WARNING)/.test(l)), [], 'gitolite warns about the fixture');
    const dump = 'our (%groups, %one_repo); my %r; my $c = shift; do $c or die "$c: $@"; for my $f (@ARGV) { do $f or die "$f: $@"; %r = (%r, %one_repo) } print JSON::PP->new->canonical->encode({ groups => \\%groups, repos => \\%r })';
    const p = spawnSync('perl', ['-MJSON::PP', '-e', dump, join(confDir, 'gitolite.conf-compiled.pm'), ...['sam', 'kim'].map((r) => join(s.dir, 'repositories', `${r}.git`, 'gl-conf'))], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    return JSON.parse(p.stdout) as Compiled;
  };
  return { ...s, confDir, compile };
}

/** Group → sorted members, from gitolite's inside-out %groups. */
function membersOf(c: Compiled): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [user, gs] of Object.entries(c.groups)) for (const g of gs) (out[g] ??= []).push(user);
  for (const g of Object.keys(out)) out[g].sort();
  return out;
}

/** Every rule as "repo perm ref: users", groups expanded: who may do what, whatever the groups are called. */
function access(c: Compiled): string[] {
  const m = membersOf(c);
  const out: string[] = [];
  for (const [repo, byUser] of Object.entries(c.repos))
    for (const [who, rules] of Object.entries(byUser)) for (const [, perm, ref] of rules) out.push(`${repo} ${perm} ${ref}: ${(who.startsWith('@') ? m[who] ?? [] : [who]).join(',')}`);
  return out.sort();
}

function open(confDir: string, file: string) {
  const path = join(confDir, file);
  const text = readFileSync(path, 'utf8');
  const doc = TextDocument.create('file://' + path, 'gitolite', 1, text);
  const mod = moduleFor(path)!;
  const ctx = { path, ws: diskWorkspace };
  /** The position `delta` characters into the `nth` occurrence of `needle` on line `line`. */
  const at = (line: number, needle: string, delta = 1) => {
    const l = text.split('\n')[line];
    assert.ok(l.includes(needle), `${file}:${line + 1} has no ${needle}`);
    return { line, character: l.lastIndexOf(needle) + delta };
  };
  const hover = (line: number, needle: string) => ((mod.hover!(doc, at(line, needle), ctx) as Hover | null)?.contents as MarkupContent | undefined)?.value ?? '';
  return { path, text, doc, mod, ctx, at, hover };
}

const loc = (l: Location) => `${l.uri.split('/').pop()}:${l.range.start.line}:${l.range.start.character}`;
const edits = (e: WorkspaceEdit) => Object.entries(e.changes ?? {}).flatMap(([uri, es]) => es.map((x) => `${uri.split('/').pop()}:${x.range.start.line}:${x.range.start.character} ${x.newText}`)).sort();

function applyRename(confDir: string, e: WorkspaceEdit): void {
  for (const [uri, es] of Object.entries(e.changes ?? {})) {
    const path = uri.replace(/^file:\/\//, '');
    const doc = TextDocument.create(uri, 'gitolite', 1, readFileSync(path, 'utf8'));
    writeFileSync(path, TextDocument.applyEdits(doc, es));
  }
}

function restore(confDir: string): void {
  for (const f of FILES) cpSync(join(FIXTURE, f), join(confDir, f));
}

test('each @group token names the group real gitolite uses: rule by rule and member by member', () => {
  const h = home();
  try {
    const c = h.compile();
    // gitolite itself: the rule before sam's own @devs (and the right side of its definition)
    // use the master's @devs; later ones, and the second file of subconf sam, use @sam.devs.
    assert.deepEqual(membersOf(c)['@sam.devs'], ['alice', 'bob', 'carol']);
    assert.deepEqual(membersOf(c)['@devs'], ['alice', 'bob']);
    const byRef = new Map<string, string>();
    for (const byUser of Object.values(c.repos)) for (const [who, rules] of Object.entries(byUser)) for (const [, , ref] of rules) if (ref !== 'refs/.*') byRef.set(ref, who);
    assert.deepEqual(Object.fromEntries([...byRef].sort()), {
      'refs/after': '@sam.devs', 'refs/before': '@devs', 'refs/extra': '@sam.devs', 'refs/kim': '@devs', 'refs/master': '@sam.devs', 'refs/qa': '@qa',
    });
    // Ours: the hover of the token on each of those rule lines names the group and lists its members.
    const members = membersOf(c);
    let checked = 0;
    for (const file of FILES) {
      const o = open(h.confDir, file);
      o.text.split('\n').forEach((l, line) => {
        const ref = /refs\/\w+/.exec(l)?.[0];
        if (!ref || !byRef.has(ref)) return;
        const hv = o.hover(line, l.trim().split(' ').pop()!);
        const m = /^\*\*(@\S+)\*\* — \d+ members?[^\n]*\n\n(?:In subconf[^\n]*\n\n)?((?:`[^`]+` ?)+)/.exec(hv);
        assert.ok(m, `${file}:${line + 1}: ${hv}`);
        assert.equal(m[1], byRef.get(ref), `${file}:${line + 1}`);
        assert.deepEqual(m[2].trim().split(' ').map((x) => x.slice(1, -1)).sort(), members[m[1]], `${file}:${line + 1}`);
        checked++;
      });
    }
    assert.equal(checked, byRef.size);
  } finally {
    h.cleanup();
  }
});

test('hover and definition of @devs in a subconf: its own group after its definition, the master\'s before', () => {
  const h = home();
  try {
    const sam = open(h.confDir, 'sam.conf');
    const after = sam.hover(5, '@devs');
    assert.match(after, /^\*\*@sam\.devs\*\* — 3 members/);
    assert.match(after, /subconf `sam`, `@devs` here is the subconf's own group/);
    assert.match(after, /`carol` `alice` `bob`\n\nDefined at sam\.conf:4$/);
    const before = sam.hover(2, '@devs');
    assert.match(before, /^\*\*@devs\*\* — 2 members/);
    assert.match(before, /still the master's group: the subconf's own `@devs` \(`@sam\.devs`\) is defined only later, at sam\.conf:4/);
    assert.match(before, /`alice` `bob`\n\nDefined at gitolite\.conf:1$/);
    // The right side of the defining line is read before the left side is prefixed.
    assert.match(sam.hover(3, '@devs'), /^\*\*@devs\*\* — 2 members/);
    assert.match(sam.hover(3, '@devs = '), /^\*\*@sam\.devs\*\* — 3 members/);
    const extra = open(h.confDir, 'sam-extra.conf');
    assert.match(extra.hover(1, '@devs'), /^\*\*@sam\.devs\*\* — 3 members/);
    const kim = open(h.confDir, 'kim.conf');
    assert.match(kim.hover(1, '@devs'), /^\*\*@devs\*\* — 2 members[\s\S]*Defined at gitolite\.conf:1$/);
    const master = open(h.confDir, 'gitolite.conf');
    assert.match(master.hover(10, '@sam.devs'), /^\*\*@sam\.devs\*\* — 3 members/);

    const def = (o: ReturnType<typeof open>, line: number, needle: string) => o.mod.definition!(o.doc, o.at(line, needle), o.ctx).map(loc);
    assert.deepEqual(def(sam, 5, '@devs'), ['sam.conf:3:0']);
    assert.deepEqual(def(sam, 2, '@devs'), ['gitolite.conf:0:0']);
    assert.deepEqual(def(sam, 3, '@devs'), ['gitolite.conf:0:0']);
    assert.deepEqual(def(extra, 1, '@devs'), ['sam.conf:3:0']);
    assert.deepEqual(def(kim, 1, '@devs'), ['gitolite.conf:0:0']);
    assert.deepEqual(def(master, 10, '@sam.devs'), ['sam.conf:3:0']);
  } finally {
    h.cleanup();
  }
});

test('references: the master\'s @devs and subconf sam\'s own @devs are two groups', () => {
  const h = home();
  try {
    const MASTER = ['gitolite.conf:0:0', 'gitolite.conf:5:10', 'kim.conf:1:18', 'sam.conf:2:21', 'sam.conf:3:14'];
    const SAM = ['gitolite.conf:10:21', 'sam-extra.conf:1:20', 'sam.conf:3:0', 'sam.conf:5:20'];
    const refs = (file: string, line: number, needle: string) => {
      const o = open(h.confDir, file);
      return o.mod.references!(o.doc, o.at(line, needle), o.ctx).map(loc).sort();
    };
    assert.deepEqual(refs('gitolite.conf', 0, '@devs'), MASTER);
    assert.deepEqual(refs('sam.conf', 2, '@devs'), MASTER);
    assert.deepEqual(refs('kim.conf', 1, '@devs'), MASTER);
    assert.deepEqual(refs('sam.conf', 5, '@devs'), SAM);
    assert.deepEqual(refs('sam.conf', 3, '@devs = '), SAM);
    assert.deepEqual(refs('gitolite.conf', 10, '@sam.devs'), SAM);
  } finally {
    h.cleanup();
  }
});

test('renaming the master\'s @devs or subconf sam\'s own @devs edits only that group, and real gitolite grants the same access after it', () => {
  const h = home();
  try {
    const base = access(h.compile());
    const master = open(h.confDir, 'gitolite.conf');
    const sam = open(h.confDir, 'sam.conf');
    assert.deepEqual(sam.mod.prepareRename!(sam.doc, sam.at(5, '@devs'), sam.ctx), { start: { line: 5, character: 20 }, end: { line: 5, character: 25 } });

    const e1 = master.mod.rename!(master.doc, master.at(0, '@devs'), 'team', master.ctx)!;
    assert.deepEqual(edits(e1), ['gitolite.conf:0:0 @team', 'gitolite.conf:5:10 @team', 'kim.conf:1:18 @team', 'sam.conf:2:21 @team', 'sam.conf:3:14 @team']);
    // Typed as written at the cursor: inside subconf sam, `crew` there means @sam.crew.
    const e2 = sam.mod.rename!(sam.doc, sam.at(5, '@devs'), 'crew', sam.ctx)!;
    assert.deepEqual(edits(e2), ['gitolite.conf:10:21 @sam.crew', 'sam-extra.conf:1:20 @crew', 'sam.conf:3:0 @crew', 'sam.conf:5:20 @crew']);
    const e3 = master.mod.rename!(master.doc, master.at(10, '@sam.devs'), '@sam.crew', master.ctx)!;
    assert.deepEqual(edits(e3), edits(e2));

    for (const [e, gone, made] of [[e1, '@devs', '@team'], [e2, '@sam.devs', '@sam.crew']] as const) {
      applyRename(h.confDir, e);
      const c = h.compile();
      assert.deepEqual(access(c), base, `access changed after renaming ${gone} to ${made}`);
      const names = new Set(Object.values(c.groups).flat());
      assert.ok(names.has(made) && !names.has(gone), `${gone} → ${made}: ${[...names].join(' ')}`);
      restore(h.confDir);
    }
  } finally {
    h.cleanup();
  }
});

test('a rename that would change which group some token names is refused', () => {
  const h = home();
  try {
    const master = open(h.confDir, 'gitolite.conf');
    const sam = open(h.confDir, 'sam.conf');
    const refused = (o: ReturnType<typeof open>, line: number, needle: string, to: string, re: RegExp) =>
      assert.throws(() => o.mod.rename!(o.doc, o.at(line, needle), to, o.ctx), (err: Error) => err.name === 'RequestRefused' && re.test(err.message), `${needle} → ${to}`);
    // sam.conf:3 `@devs` (the master's) would become `@ops`, which sam has made its own @sam.ops.
    refused(master, 0, '@devs', 'ops', /would change what @devs at sam\.conf:3 names \(@devs would become @sam\.ops\) in subconf 'sam'/);
    // sam's own group renamed `@qa` would capture sam.conf:7's `@qa` (the master's).
    refused(sam, 5, '@devs', 'qa', /would change what @qa at sam\.conf:7 names \(@qa would become @sam\.qa\)/);
    // Onto an existing group: sam's own @ops is @sam.ops.
    refused(sam, 5, '@devs', 'ops', /@sam\.ops already exists: renaming @sam\.devs to it would merge the two groups/);
    refused(master, 0, '@devs', 'qa', /@qa already exists/);
    // From the master's `@sam.devs`, a name outside sam cannot be written as `@x` inside sam.
    refused(master, 10, '@sam.devs', 'team', /@sam\.devs is subconf 'sam''s own group .*its new name must be @sam\.<name>/);
    refused(sam, 5, '@devs', 'bad name', /not a valid gitolite group name/);
  } finally {
    h.cleanup();
  }
});

test('completion inside a subconf offers its own groups as written there', () => {
  const h = home();
  try {
    const path = join(h.confDir, 'sam.conf');
    const lines = readFileSync(path, 'utf8').split('\n');
    const complete = (line: number) => {
      const l = [...lines];
      l[line] = '    RW refs/x = @';
      const text = l.join('\n');
      const doc = TextDocument.create('file://' + path, 'gitolite', 1, text);
      const items = moduleFor(path)!.complete!(doc, { line, character: l[line].length }, { path, ws: diskWorkspace });
      return new Map(items.filter((i) => i.label.startsWith('@')).map((i) => [i.label, i.detail ?? '']));
    };
    const after = complete(6);
    assert.match(after.get('@devs')!, /subconf group @sam\.devs, 3 members/);
    assert.match(after.get('@ops')!, /subconf group @sam\.ops, 1 members/);
    const before = complete(2);
    assert.match(before.get('@devs')!, /^group, 2 members/);
    assert.match(before.get('@ops')!, /subconf group @sam\.ops/);
  } finally {
    h.cleanup();
  }
});
