// [include] in replication.config / secure.config as the plugin's JGit reads it: the merged
// view against real git where the semantics agree, the deliberate differences, and the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseGitConfig } from '../../server/src/gitconfig/parser';
import { includeTarget, resolveIncludes } from '../../server/src/replication/configIncludes';
import { replicationModule } from '../../server/src/replication';
import { diskWorkspace } from '../../server/src/service/workspace';
import { scratch } from '../support/helpers';
import { check, codes, FANOUT, memoryWorkspace, REPL, SECURE, SITE } from '../support/replication-helpers';

const ETC = `${SITE}/etc`;
const W = 2;
const E = 1;

/** Our merged (name, value) list, include lines left out (git prints them before the included text, JGit after). */
function merged(top: string, home: string): string[] {
  const tree = resolveIncludes(top, parseGitConfig(diskWorkspace.read(top)!), diskWorkspace, { home });
  return tree.entries.filter((m) => m.entry.section && m.entry.section.name !== 'include').map((m) => `${m.entry.fullName}=${m.entry.value ?? '(none)'}`);
}

function gitList(top: string, home: string): string[] {
  const out = execFileSync('git', ['config', '--file', top, '--list', '--includes', '--null'], {
    env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\0').filter(Boolean).map((rec) => {
    const nl = rec.indexOf('\n');
    return nl < 0 ? `${rec}=(none)` : `${rec.slice(0, nl)}=${rec.slice(nl + 1)}`;
  }).filter((l) => !l.startsWith('include.'));
}

/** A tiny seeded generator, so a failure names a reproducible tree. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

test('merged view equals git config --list --includes on generated include trees (where git and JGit agree)', () => {
  const s = scratch('gr-inc-diff-');
  let compared = 0;
  let withIncluded = 0;
  try {
    for (let seed = 1; seed <= 120; seed++) {
      const r = rng(seed);
      const root = join(s.dir, `t${seed}`);
      const etc = join(root, 'etc');
      const home = join(root, 'home');
      mkdirSync(join(etc, 'sub'), { recursive: true });
      mkdirSync(home, { recursive: true });
      const top = join(etc, 'replication.config');
      // Files in etc/ may include by relative path (etc/ is both the including file's
      // directory and the top file's); files in etc/sub/ and ~/ include by absolute path.
      const names = ['a.inc', 'b.inc', 'sub/c.inc', 'sub/d.inc', '~/h.inc', 'missing.inc'];
      const abs = (n: string) => (n.startsWith('~/') ? join(home, n.slice(2)) : join(etc, n));
      const body = (file: string, depth: number): string => {
        let t = '';
        const n = 1 + Math.floor(r() * 4);
        for (let i = 0; i < n; i++) {
          const remote = `r${Math.floor(r() * 4)}`;
          t += r() < 0.5 ? `[remote "${remote}"]\n\turl = ssh://h/${file.replace(/\W/g, '')}/\${name}\n\tprojects = p${i}\n` : `[gerrit]\n\tmaxRefsToShow = ${Math.floor(r() * 9)}\n`;
          if (depth < 9 && r() < 0.45) {
            const target = names[Math.floor(r() * names.length)];
            const inEtc = file === 'top' || dirname(abs(file)) === etc;
            const written = target.startsWith('~/') || inEtc ? target : abs(target);
            t += `[include]\n\tpath = ${written}\n`;
          }
        }
        return t;
      };
      writeFileSync(top, body('top', 1));
      for (const n of names) if (n !== 'missing.inc') writeFileSync(abs(n), body(n, 2 + Math.floor(r() * 3)));
      let expected: string[] | undefined;
      try {
        expected = gitList(top, home);
      } catch {
        continue; // a cycle too deep for git as well: covered by its own test
      }
      const tree = resolveIncludes(top, parseGitConfig(diskWorkspace.read(top)!), diskWorkspace, { home });
      if (tree.fails) continue;
      assert.deepEqual(merged(top, home), expected, `seed ${seed}`);
      compared++;
      if (tree.included.size) withIncluded++;
    }
    assert.ok(compared >= 60 && withIncluded >= 30, `compared ${compared} trees, ${withIncluded} with includes`);
  } finally {
    s.cleanup();
  }
});

test('where JGit differs from git: nested relative paths resolve against the top file, and 10 nested levels fail', () => {
  const s = scratch('gr-inc-jgit-');
  try {
    const etc = join(s.dir, 'etc');
    mkdirSync(join(etc, 'sub'), { recursive: true });
    const top = join(etc, 'replication.config');
    writeFileSync(top, '[include]\n\tpath = sub/a.inc\n');
    writeFileSync(join(etc, 'sub', 'a.inc'), '[include]\n\tpath = b.inc\n[remote "x"]\n\turl = ssh://a/${name}\n');
    writeFileSync(join(etc, 'sub', 'b.inc'), '[gerrit]\n\tmaxRefsToShow = 1\n');
    writeFileSync(join(etc, 'b.inc'), '[gerrit]\n\tmaxRefsToShow = 2\n');
    assert.deepEqual(gitList(top, s.dir), ['gerrit.maxrefstoshow=1', 'remote.x.url=ssh://a/${name}']);
    assert.deepEqual(merged(top, s.dir), ['gerrit.maxrefstoshow=2', 'remote.x.url=ssh://a/${name}']);

    // A chain top → f1 → … → fN: git reads 10 nested files, JGit 9.
    const chain = (n: number) => {
      const d = join(s.dir, `chain${n}`);
      mkdirSync(d, { recursive: true });
      for (let i = 0; i <= n; i++) writeFileSync(join(d, `f${i}`), `[s]\n\tk${i} = v\n${i < n ? `[include]\n\tpath = f${i + 1}\n` : ''}`);
      return join(d, 'f0');
    };
    const nine = chain(9);
    assert.equal(resolveIncludes(nine, parseGitConfig(diskWorkspace.read(nine)!), diskWorkspace).fails, false);
    assert.equal(merged(nine, s.dir).length, 10);
    const ten = chain(10);
    assert.equal(gitList(ten, s.dir).length, 11);
    const t10 = resolveIncludes(ten, parseGitConfig(diskWorkspace.read(ten)!), diskWorkspace);
    assert.equal(t10.fails, true);
    assert.deepEqual(t10.links.filter((l) => l.status === 'too-deep').map((l) => l.target), [join(dirname(ten), 'f10')]);
  } finally {
    s.cleanup();
  }
});

test('include targets: ~/ is the home directory, absolute paths stay, relative ones hang off the top file', () => {
  assert.equal(includeTarget('~/x.inc', REPL, '/home/gerrit'), '/home/gerrit/x.inc');
  assert.equal(includeTarget('/abs/x.inc', REPL, '/home/gerrit'), '/abs/x.inc');
  assert.equal(includeTarget('../shared/x.inc', REPL, '/home/gerrit'), `${SITE}/shared/x.inc`);
  assert.equal(includeTarget('~x.inc', REPL, '/home/gerrit'), `${ETC}/~x.inc`);
});

const INC = `${ETC}/remotes.inc`;

test('a remote whose url is in an included file is not "without a url"', () => {
  const top = '[remote "m"]\n  push = refs/heads/*:refs/heads/*\n[include]\n  path = remotes.inc\n';
  assert.deepEqual(codes(check(top, REPL, { [INC]: '[remote "m"]\n  url = ssh://h/${name}.git\n' })), []);
  // Without the url in the included file the rule still fires: the merged view is what counts.
  assert.deepEqual(codes(check(top, REPL, { [INC]: '[remote "m"]\n  threads = 2\n' })), ['remote-no-url']);
});

test('${name} rule: one exact projects value in an included file exempts the url; two values do not', () => {
  const top = '[remote "one"]\n  url = ssh://h/fixed.git\n[include]\n  path = remotes.inc\n';
  assert.deepEqual(codes(check(top, REPL, { [INC]: '[remote "one"]\n  projects = only/this\n' })), []);
  assert.deepEqual(codes(check(top, REPL, { [INC]: '[remote "one"]\n  projects = a\n  projects = b\n' })), ['missing-name']);
});

test('secure.config: credentials for a remote defined in a file replication.config includes are used', () => {
  const repl = '[include]\n  path = remotes.inc\n';
  const others = { [REPL]: repl, [INC]: '[remote "inc"]\n  url = ssh://h/${name}\n' };
  assert.deepEqual(codes(check('[remote "inc"]\n  password = x\n', SECURE, others)), []);
  assert.deepEqual(codes(check('[remote "nope"]\n  password = x\n', SECURE, others)), ['secure-unknown-remote']);
});

test('include lines: missing file, cycle, invalid key, includeIf, errors inside the included file', () => {
  const missing = check('[include]\n  path = gone.inc\n', REPL);
  assert.deepEqual(missing.map((d) => [d.code, d.severity, d.range.start.line]), [['include-missing', W, 1]]);
  assert.match(missing[0].message, new RegExp(`${ETC}/gone.inc`));

  const cyc = check('[include]\n  path = a.inc\n', REPL, { [`${ETC}/a.inc`]: '[include]\n  path = b.inc\n', [`${ETC}/b.inc`]: '[include]\n  path = a.inc\n' });
  assert.deepEqual(cyc.map((d) => [d.code, d.severity]), [['include-too-deep', E]]);
  assert.match(cyc[0].message, /circular.*Too many recursions.*a\.inc → b\.inc → a\.inc/);

  assert.deepEqual(check('[include]\n  file = x.inc\n  path\n', REPL).map((d) => [d.code, d.range.start.line]), [['include-invalid', 1], ['include-invalid', 2]]);
  assert.deepEqual(codes(check('[includeIf "gitdir:/srv/"]\n  path = x.inc\n', REPL)), ['include-if-ignored']);

  const bad = check('[include]\n  path = remotes.inc\n', REPL, { [INC]: '[remote "m"]\n  url = ssh://h/${name}\n  replicationDelay = 15s\n' });
  assert.deepEqual(bad.map((d) => [d.code, d.severity, d.range.start.line]), [['include-invalid', E, 1]]);
  assert.match(bad[0].message, /^remotes\.inc:3: .*15s/);
  assert.equal(bad[0].relatedInformation?.[0].location.range.start.line, 2);
  // The included file's warnings are its own business: not repeated here.
  assert.deepEqual(codes(check('[include]\n  path = remotes.inc\n', REPL, { [INC]: '[remote "m"]\n  url = ssh://h/${name}\n  replicationRetry = 1m\n' })), []);
});

test('fan-out files never follow includes; remotes included by replication.config survive etc/replication/', () => {
  const fan = check('[remote]\n  url = ssh://h/${name}\n[include]\n  path = more.inc\n', FANOUT('a'), { [`${ETC}/replication/more.inc`]: '[remote]\n  threads = 3\n' });
  assert.deepEqual(codes(fan), ['include-not-followed']);
  const kept = check('[include]\n  path = remotes.inc\n', REPL, { [INC]: '[remote "inc"]\n  url = ssh://h/${name}\n', [FANOUT('a')]: '[remote]\n  url = ssh://h/${name}\n' });
  assert.deepEqual(codes(kept), ['include-remote-kept']);
  assert.match(kept[0].message, /keeps remote 'inc'/);
});

test('go to definition on an include path opens the file JGit reads', () => {
  const text = '[include]\n  path = sub/r.inc\n';
  const ws = memoryWorkspace({ [REPL]: text, [`${ETC}/sub/r.inc`]: '[gerrit]\n' });
  const doc = TextDocument.create('file://' + REPL, 'gerrit-replication', 1, text);
  const locs = replicationModule.definition!(doc, { line: 1, character: 12 }, { path: REPL, ws });
  assert.deepEqual(locs.map((l) => l.uri), [`file://${ETC}/sub/r.inc`]);
  assert.deepEqual(replicationModule.definition!(doc, { line: 0, character: 2 }, { path: REPL, ws }), []);
});

test('secure.config: an included credentials file others can read is flagged at the include line; [include "x"] is followed too', () => {
  const others = { [REPL]: '[remote "m"]\n  url = ssh://h/${name}\n', [`${ETC}/creds.inc`]: '[remote "m"]\n  password = x\n' };
  const open = check('[include]\n  path = creds.inc\n', SECURE, others, { [`${ETC}/creds.inc`]: 0o644 });
  assert.deepEqual(open.map((d) => [d.code, d.range.start.line]), [['secure-readable', 1]]);
  assert.match(open[0].message, /creds\.inc \(included by secure\.config\) has mode 644: every user/);
  assert.deepEqual(codes(check('[include]\n  path = creds.inc\n', SECURE, others)), []);
  // JGit looks only at the section name, so a named [include "x"] section includes as well.
  const top = '[remote "m"]\n  push = refs/heads/*:refs/heads/*\n[include "any"]\n  path = remotes.inc\n';
  assert.deepEqual(codes(check(top, REPL, { [INC]: '[remote "m"]\n  url = ssh://h/${name}.git\n' })), []);
});

test('hover on a remote header lists the urls included files give it', () => {
  const text = '[remote "m"]\n  threads = 2\n[include]\n  path = remotes.inc\n';
  const ws = memoryWorkspace({ [REPL]: text, [INC]: '[remote "m"]\n  url = ssh://h/${name}.git\n' });
  const doc = TextDocument.create('file://' + REPL, 'gerrit-replication', 1, text);
  const h = replicationModule.hover!(doc, { line: 0, character: 3 }, { path: REPL, ws });
  assert.match((h?.contents as { value: string }).value, /Remote \*\*m\*\*: `ssh:\/\/h\/\$\{name\}\.git`/);
});
