// Mirror differential test: each fixture of test/fixtures/gitolite/mirror-diff/ is compiled by
// Debian's real gitolite3 in a scratch home, and gitolite's own Mirroring trigger is asked what
// it makes of each repo (test/infra/MirroringProbe.pl: master, copies and their sync mode,
// trusted copies, and this host's mode or its FATAL). Our model (loadGitoliteSite) must agree
// line for line, and our diagnostics must name exactly the fixture's codes: each mistake class
// is shown to be one where gitolite compiles in silence and then does not do what the conf says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, scratch } from '../support/helpers';
import { fixtureHome, FixtureRc, gitoliteLines, homeEnv, mirroringProbe, pool, runAsync, templateHome } from '../support/gitoliteHome';
import { loadGitoliteSite } from '../../server/src/gitolite/mirroringSite';
import { diskWorkspace } from '../../server/src/service/workspace';
import { GITOLITE_RULES } from '../../server/src/gitolite/gitoliteRules';
import { DiagnosticSeverity } from '../../server/src/service/lspConstants';
import type { Rule } from '../../server/src/service/diagnostics';

const DIR = join(FIXTURES, 'gitolite', 'mirror-diff');

interface Fixture {
  rc: FixtureRc;
  /** The repos to ask about. */
  repos: string[];
  /** Our diagnostic codes, sorted. */
  codes: string[];
  /** gitolite's answers, recorded: its compile's FATAL/WARNING lines and the probe's lines. */
  compile: string[];
  mirroring: string[];
  /** Real accesses through gitolite-shell, and the line gitolite answers (our diagnostics quote it). */
  access?: Array<{ user: string; command: string; output: string }>;
}

/** Our model's answer for a repo, in the probe's format. */
function ours(site: ReturnType<typeof loadGitoliteSite>, repo: string): string {
  const r = site.repos.find((x) => x.name === repo && !x.isPattern);
  const hn = site.hostname;
  if (!r) return [repo, '', '', '', 'local'].join('\t');
  const copies = r.copies.map((c) => `${c.host}:${c.mode}`).sort().join(' ');
  const trusted = (r.redirectOK === 'all' ? r.copies.map((c) => c.host) : r.redirectOK).slice().sort().join(' ');
  const mode = r.mode === 'mirrored-elsewhere' ? `FATAL: ${hn}: '${repo}' is mirrored but not here` : r.mode;
  return [repo, r.master ?? '', copies, trusted, mode].join('\t');
}

test("gitolite's Mirroring trigger and our model agree on every mirror fixture, and each mistake is diagnosed", async () => {
  assert.ok(existsSync('/usr/bin/gitolite'), 'gitolite3 is not installed (apt-get install gitolite3)');
  const names = readdirSync(DIR).filter((n) => existsSync(join(DIR, n, 'fixture.json'))).sort();
  assert.ok(names.length >= 9, `expected at least 9 fixtures, found ${names.length}`);
  const s = scratch('gr-gl-mdiff-');
  try {
    const tmpl = join(s.dir, 'template');
    const defaultRc = templateHome(tmpl);
    const results = await pool(names, 2, async (name) => {
      const fx = JSON.parse(readFileSync(join(DIR, name, 'fixture.json'), 'utf8')) as Fixture;
      const home = join(s.dir, name);
      fixtureHome(tmpl, defaultRc, home, fx.rc, join(DIR, name));
      // The copied repos' hooks still point into the template: gitolite-shell refuses every
      // access to a repo without its own update hook, so they are set up again here.
      const hooks = await runAsync('gitolite', ['setup', '--hooks-only'], homeEnv(home));
      assert.equal(hooks.code, 0, hooks.stderr);
      const c = await runAsync('gitolite', ['compile'], homeEnv(home));
      const compileLines = gitoliteLines(c.stderr);
      const theirs = await mirroringProbe(home, fx.repos);
      const site = loadGitoliteSite(home, diskWorkspace);
      const mine = fx.repos.map((r) => ours(site, r));
      const codes = site.diagnostics.map((d) => d.code).sort();
      const rule = (code: keyof typeof GITOLITE_RULES): Rule => GITOLITE_RULES[code];
      const ourCompile = site.diagnostics.filter((d) => rule(d.code).source === 'gitolite')
        .map((d) => `${rule(d.code).severity === DiagnosticSeverity.Error ? 'FATAL' : 'WARNING'}: ${d.message.split('\n')[0]}`);
      const access: string[] = [];
      for (const a of fx.access ?? []) {
        const env = { ...homeEnv(home), SSH_CONNECTION: '127.0.0.1 1 127.0.0.1 22', SSH_ORIGINAL_COMMAND: a.command };
        const r = await runAsync('/usr/share/gitolite3/gitolite-shell', [a.user], env);
        const line = (r.stdout + r.stderr).split('\n').find((l) => l.startsWith('FATAL')) ?? '';
        if (line !== a.output) access.push(`${a.command} as ${a.user}: gitolite says ${JSON.stringify(line)}, recorded ${JSON.stringify(a.output)}`);
        if (!site.diagnostics.some((d) => d.message.includes(line))) access.push(`${a.command}: no diagnostic quotes ${JSON.stringify(line)}`);
      }
      return { name, fx, compileLines, theirs, mine, codes, ourCompile, code: c.code, access };
    });
    const bad: string[] = [];
    for (const r of results) {
      const j = JSON.stringify;
      if (j(r.compileLines) !== j(r.fx.compile)) bad.push(`${r.name}: gitolite compile changed:\n  gitolite: ${j(r.compileLines)}\n  recorded: ${j(r.fx.compile)}`);
      if (j(r.ourCompile) !== j(r.compileLines)) bad.push(`${r.name}: our gitolite-source diagnostics differ from gitolite compile:\n  gitolite: ${j(r.compileLines)}\n  ours:     ${j(r.ourCompile)}`);
      if (r.code !== 0) bad.push(`${r.name}: gitolite compile refused the conf (exit ${r.code}): a mirror fixture must compile`);
      if (j(r.theirs) !== j(r.fx.mirroring)) bad.push(`${r.name}: gitolite's Mirroring changed:\n  gitolite: ${j(r.theirs)}\n  recorded: ${j(r.fx.mirroring)}`);
      if (j(r.mine) !== j(r.theirs)) bad.push(`${r.name}: our model differs from gitolite's Mirroring:\n  gitolite: ${j(r.theirs)}\n  ours:     ${j(r.mine)}`);
      for (const a of r.access) bad.push(`${r.name}: ${a}`);
      if (j(r.codes) !== j(r.fx.codes)) bad.push(`${r.name}: diagnostics:\n  expected: ${j(r.fx.codes)}\n  ours:     ${j(r.codes)}`);
    }
    assert.deepEqual(bad, [], bad.join('\n'));
  } finally {
    s.cleanup();
  }
});
