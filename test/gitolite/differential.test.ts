// Differential test: every grammar fixture is compiled by Debian's real gitolite3
// (`gitolite compile` in a scratch HOME) and checked by our service; the FATAL/WARNING lines
// must equal our error/warning diagnostics of gitolite origin, in gitolite's order, up to the
// first FATAL (where gitolite stops). Each fixture also records the expected lines, so a
// change on either side fails loudly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, scratch } from '../support/helpers';
import { editRc, fixtureHome, FixtureRc, gitoliteLines, homeEnv, pool, runAsync, templateHome } from '../support/gitoliteHome';
import { analyzeSite } from '../../server/src/gitolite/confSite';
import { GitoliteCaches } from '../../server/src/gitolite/caches';
import { diskWorkspace } from '../../server/src/service/workspace';
import { GITOLITE_RULES } from '../../server/src/gitolite/gitoliteRules';
import { DiagnosticSeverity } from '../../server/src/service/lspConstants';
import type { Rule } from '../../server/src/service/diagnostics';
import { validate } from '../../server/src/formats';
import { TextDocument } from 'vscode-languageserver-textdocument';

const GRAMMAR = join(FIXTURES, 'gitolite', 'grammar');

interface Fixture { rc: FixtureRc; expect: string[] }

test('gitolite compile and our checks agree on every grammar fixture', async () => {
  assert.ok(existsSync('/usr/bin/gitolite'), 'gitolite3 is not installed (apt-get install gitolite3)');
  const names = readdirSync(GRAMMAR).filter((n) => existsSync(join(GRAMMAR, n, 'fixture.json'))).sort();
  assert.ok(names.length >= 40, `expected at least 40 fixtures, found ${names.length}`);
  const s = scratch('gr-gl-diff-');
  try {
    // One `gitolite setup` for a template home; each fixture gets a copy of it.
    const tmpl = join(s.dir, 'template');
    const defaultRc = templateHome(tmpl);
    const results = await pool(names, Math.max(2, Math.min(8, cpus().length)), async (name) => {
      const fx = JSON.parse(readFileSync(join(GRAMMAR, name, 'fixture.json'), 'utf8')) as Fixture;
      const home = join(s.dir, name);
      const confDir = fixtureHome(tmpl, defaultRc, home, fx.rc, join(GRAMMAR, name));
      const r = await runAsync('gitolite', ['compile'], homeEnv(home));
      const theirs = gitoliteLines(r.stderr);
      const root = join(confDir, 'gitolite.conf');
      const a = analyzeSite(new GitoliteCaches(), root, confDir, diskWorkspace);
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
