// Differential test: every grammar fixture is compiled by Debian's real gitolite3
// (`gitolite compile` in a scratch HOME) and checked by our service; the FATAL/WARNING lines
// must equal our error/warning diagnostics of gitolite origin, in gitolite's order, up to the
// first FATAL (where gitolite stops). Each fixture also records the expected lines, so a
// change on either side fails loudly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { FIXTURES, scratch } from '../support/helpers';
import { analyzeSite } from '../../server/src/gitolite/confSite';
import { diskWorkspace } from '../../server/src/service/workspace';
import { GITOLITE_RULES } from '../../server/src/gitolite/gitoliteRules';
import { DiagnosticSeverity } from '../../server/src/service/lspConstants';
import type { Rule } from '../../server/src/service/diagnostics';
import { validate } from '../../server/src/formats';
import { TextDocument } from 'vscode-languageserver-textdocument';

const GRAMMAR = join(FIXTURES, 'gitolite', 'grammar');

interface Fixture { rc: { HOSTNAME?: string; GIT_CONFIG_KEYS?: string; enable?: string[] }; expect: string[] }

/** Edit gitolite's own default rc the way an admin would. */
export function editRc(rcText: string, rc: Fixture['rc']): string {
  let t = rcText;
  const must = (re: RegExp, by: string) => {
    assert.match(t, re, `default rc changed: ${re}`);
    t = t.replace(re, by);
  };
  if (rc.GIT_CONFIG_KEYS !== undefined) must(/GIT_CONFIG_KEYS\s*=>\s*'',/, `GIT_CONFIG_KEYS => '${rc.GIT_CONFIG_KEYS.replace(/\\/g, '\\\\')}',`);
  if (rc.HOSTNAME !== undefined) must(/# HOSTNAME\s*=>\s*"foo",/, `HOSTNAME => '${rc.HOSTNAME}',`);
  for (const e of rc.enable ?? []) must(new RegExp(`# '${e}',`), `'${e}',`);
  return t;
}

function walkFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { env, encoding: 'utf8' }, (err, _stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stderr }));
  });
}

async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** gitolite's messages: the first line of each FATAL/WARNING. */
function gitoliteLines(stderr: string): string[] {
  // Perl appends " at FILE line N." to a plain die; that location is the install's, not the conf's.
  return stderr.split('\n').filter((l) => /^(FATAL|WARNING): /.test(l)).map((l) => l.replace(/ at \/\S+ line \d+\.$/, ''));
}

test('gitolite compile and our checks agree on every grammar fixture', async () => {
  assert.ok(existsSync('/usr/bin/gitolite'), 'gitolite3 is not installed (apt-get install gitolite3)');
  const names = readdirSync(GRAMMAR).filter((n) => existsSync(join(GRAMMAR, n, 'fixture.json'))).sort();
  assert.ok(names.length >= 40, `expected at least 40 fixtures, found ${names.length}`);
  const s = scratch('gr-gl-diff-');
  try {
    // One `gitolite setup` for a template home; each fixture gets a copy of it.
    const tmpl = join(s.dir, 'template');
    mkdirSync(tmpl);
    const env = (home: string) => ({ PATH: process.env.PATH, HOME: home, LANG: 'C' });
    const setup = spawnSync('gitolite', ['setup', '-a', 'admin'], { env: env(tmpl), encoding: 'utf8' });
    assert.equal(setup.status, 0, setup.stderr);
    const defaultRc = readFileSync(join(tmpl, '.gitolite.rc'), 'utf8');
    const results = await pool(names, Math.max(2, Math.min(8, cpus().length)), async (name) => {
      const fx = JSON.parse(readFileSync(join(GRAMMAR, name, 'fixture.json'), 'utf8')) as Fixture;
      const home = join(s.dir, name);
      cpSync(tmpl, home, { recursive: true });
      writeFileSync(join(home, '.gitolite.rc'), editRc(defaultRc, fx.rc));
      const confDir = join(home, '.gitolite', 'conf');
      for (const f of walkFiles(join(GRAMMAR, name))) {
        if (f === 'fixture.json') continue;
        mkdirSync(dirname(join(confDir, f)), { recursive: true });
        cpSync(join(GRAMMAR, name, f), join(confDir, f));
      }
      const r = await run('gitolite', ['compile'], env(home));
      const theirs = gitoliteLines(r.stderr);
      const root = join(confDir, 'gitolite.conf');
      const a = analyzeSite(root, confDir, diskWorkspace);
      const ours: string[] = [];
      for (const d of [...a.exploded.diags, ...a.compiled.diags]) {
        const rule: Rule = GITOLITE_RULES[d.code];
        if (rule.source !== 'gitolite') continue;
        const fatal = rule.severity === DiagnosticSeverity.Error;
        ours.push(`${fatal ? 'FATAL' : 'WARNING'}: ${d.message.split('\n')[0]}`);
        if (fatal) break; // gitolite stops at its first FATAL
      }
      // The module (what editors and the CLI get) reports the same for the root file.
      const doc = TextDocument.create('file://' + root, 'gitolite', 1, readFileSync(root, 'utf8'));
      const viaService = validate(doc, { path: root, ws: diskWorkspace }).filter((d) => d.source === 'gitolite').length;
      return { name, theirs, ours, expect: fx.expect, code: r.code, viaService, rootCount: (a.byFile.get(root) ?? []).filter((d) => (GITOLITE_RULES[d.code] as Rule).source === 'gitolite').length };
    });
    const bad: string[] = [];
    for (const r of results) {
      if (JSON.stringify(r.theirs) !== JSON.stringify(r.expect)) bad.push(`${r.name}: gitolite's own output changed:\n  gitolite: ${JSON.stringify(r.theirs)}\n  expected: ${JSON.stringify(r.expect)}`);
      if (JSON.stringify(r.ours) !== JSON.stringify(r.theirs)) bad.push(`${r.name}: we differ from gitolite compile:\n  gitolite: ${JSON.stringify(r.theirs)}\n  ours:     ${JSON.stringify(r.ours)}`);
      if ((r.code !== 0) !== r.theirs.some((l) => l.startsWith('FATAL'))) bad.push(`${r.name}: exit code ${r.code}`);
      if (r.viaService !== r.rootCount) bad.push(`${r.name}: the language service reports ${r.viaService}, the analysis ${r.rootCount}`);
    }
    assert.deepEqual(bad, [], bad.join('\n'));
    assert.equal(results.length, names.length);
  } finally {
    s.cleanup();
  }
});

test('the rc edits used by the differential test are real edits', () => {
  const t = "    GIT_CONFIG_KEYS                 =>  '',\n        # HOSTNAME                  =>  \"foo\",\n            # 'Mirroring',\n";
  const e = editRc(t, { GIT_CONFIG_KEYS: 'foo\\.bar', HOSTNAME: 'gl1', enable: ['Mirroring'] });
  assert.match(e, /GIT_CONFIG_KEYS => 'foo\\\\.bar'/);
  assert.match(e, /HOSTNAME => 'gl1'/);
  assert.match(e, /^\s+'Mirroring',$/m);
});
