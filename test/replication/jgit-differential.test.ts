// Differential test against the real JGit (the version Gerrit 3.11's plugin reads its config
// with): hand-written edge cases, mutations that hit every load-failure diagnostic and the
// value-parsing corners, and generated files, each read by test/infra/JGitProbe.java and by
// our language service and engine. Asserted:
// - we report an error that says the plugin does not load exactly when JGit throws (while
//   loading the file, listing remotes, or in a getter the plugin calls);
// - the JGit text we quote is JGit's;
// - for a file that loads, the remotes the plugin keeps, their urls, push refspecs and the
//   int/bool values (after the plugin's floors) equal ours;
// - jgitRead (our model of JGit's reader) throws what JGit throws.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findKey, findSection, REPLICATION_CATALOG } from '../../server/src/catalog/keyCatalog';
import { loadSite, type RemoteSettings } from '../../server/src/engine/site/loadSite';
import { jgitRead, jgitReadOf } from '../../server/src/gitconfig/jgitRead';
import { parseGitConfig } from '../../server/src/gitconfig/parser';
import { validate } from '../../server/src/service/languageService';
import { diskWorkspace } from '../../server/src/service/workspace';
import { generateConfigs } from '../support/gitconfig-generator';
import { readCorpus } from '../support/gitconfig-corpus';
import { FIXTURES, scratch } from '../support/helpers';
import { JGIT_VERSION, JGitProbe, type ProbeAnswer, type ProbeRead } from '../infra/jgit';

// The JGit that produced the expectations below (Gerrit 3.11 builds JGit stable-7.1).
const OBSERVED_WITH = '7.1.1.202505221757-r';

interface Case {
  name: string;
  repl: string;
  /** Other files of the site, by path relative to the site (etc/…). */
  files?: Record<string, string>;
}

const REMOTE = (body: string, name = 'm') => `[remote "${name}"]\n  url = /srv/mirror/\${name}.git\n${body}`;

// The disagreements an independent comparison found, and other corners, one case each.
const HAND: Case[] = [
  { name: 'continuation at end of file', repl: REMOTE('  projects = a\\') },
  { name: 'continuation then newline at end of file', repl: REMOTE('  projects = a\\\n') },
  { name: 'empty include path', repl: '[include]\n  path =\n' + REMOTE('') },
  { name: 'quoted empty include path', repl: '[include]\n  path = ""\n' + REMOTE('') },
  { name: 'bare include path', repl: '[include]\n  path\n' + REMOTE('') },
  { name: 'include other key', repl: '[include]\n  file = x.config\n' + REMOTE('') },
  { name: 'fullwidth digit', repl: REMOTE('  threads = \uff13\n') },
  { name: 'arabic-indic digits', repl: REMOTE('  replicationDelay = \u0661\u0662\n') },
  { name: 'leading NBSP int', repl: REMOTE('  threads = \u00a05\n') },
  { name: 'trailing NBSP int', repl: REMOTE('  threads = 5\u00a0\n') },
  { name: 'leading em space int', repl: REMOTE('  threads = \u2003 5\n') },
  { name: 'empty bool', repl: REMOTE('  mirror =\n') },
  { name: 'quoted empty bool', repl: REMOTE('  mirror = ""\n') },
  { name: 'empty bool, default true', repl: REMOTE('  replicatePermissions =\n') },
  { name: 'text after ] ignored by JGit', repl: '[remote "m"] threads = abc\n  url = /srv/m/${name}.git\n' },
  { name: 'url after ]: remote without url for JGit', repl: '[remote "m"] url = /srv/m/${name}.git\n  threads = abc\n' },
  { name: 'bad threads on remote without url', repl: '[remote "m"]\n  threads = abc\n' },
  { name: 'bad threads on remote with fetch', repl: REMOTE('  fetch = +refs/*:refs/*\n  threads = abc\n') },
  { name: 'bad timeout on remote without url', repl: '[remote "m"]\n  timeout = abc\n' },
  { name: 'bad mirror on remote with fetch', repl: REMOTE('  fetch = +refs/*:refs/*\n  mirror = maybe\n') },
  { name: 'empty brackets', repl: '[]\n' + REMOTE('') },
  { name: 'accented section', repl: '[r\u00e9mote "m"]\n  url = x\n' + REMOTE('') },
  { name: 'key starting with dash', repl: REMOTE('  -threads = 1\n') },
  { name: 'form feed before key', repl: REMOTE('\f threads = 2\n') },
  { name: 'vertical tab before key', repl: REMOTE('\v threads = 2\n') },
  { name: 'unterminated quote at EOF', repl: REMOTE('  projects = "abc') },
  { name: 'unterminated quote then newline', repl: REMOTE('  projects = "abc\n') },
  { name: 'bare key comment', repl: REMOTE('  mirror # keep\n') },
  { name: 'bare key comment, default true', repl: REMOTE('  replicatePermissions ; keep\n') },
  { name: 'bare key then blank', repl: REMOTE('  mirror \n') },
  { name: 'bare key', repl: REMOTE('  mirror\n') },
  { name: 'bare key CRLF', repl: REMOTE('  mirror\r\n').replace(/\n/g, '\r\n').replace(/\r\r/g, '\r') },
  { name: 'bare key at EOF', repl: REMOTE('  mirror') },
  { name: 'CRLF file', repl: REMOTE('  threads = 2\n  mirror = true\n').replace(/\n/g, '\r\n') },
  { name: 'key equals first', repl: REMOTE('  = x\n') },
  { name: 'digit key', repl: REMOTE('  2threads = 3\n') },
  { name: 'key before section', repl: 'threads = 1\n' + REMOTE('') },
  { name: 'bad escape', repl: REMOTE('  projects = a\\qb\n') },
  { name: 'open subsection', repl: '[remote "m\n  url = x\n' },
  { name: 'bad section char', repl: '[remote!]\n' + REMOTE('') },
  { name: 'space in section', repl: '[remote m]\n' + REMOTE('') },
  { name: 'legacy subsection', repl: '[remote.m]\n  url = /x/${name}\n' },
  { name: 'int 15s', repl: REMOTE('  replicationDelay = 15s\n') },
  { name: 'int out of range', repl: REMOTE('  threads = 2147483648\n') },
  { name: 'int long overflow', repl: REMOTE('  threads = 9223372036854775808\n') },
  { name: 'int suffix', repl: REMOTE('  replicationDelay = 1k\n') },
  { name: 'int suffix overflow', repl: REMOTE('  replicationDelay = 3g\n') },
  { name: 'int plus sign', repl: REMOTE('  threads = +4\n') },
  { name: 'int hex', repl: REMOTE('  threads = 0x10\n') },
  { name: 'int negative floor', repl: REMOTE('  rescheduleDelay = -5\n  replicationDelay = -1\n') },
  { name: 'bool yes', repl: REMOTE('  mirror = Yes\n  replicatePermissions = off\n') },
  { name: 'bool bad', repl: REMOTE('  mirror = y\n') },
  { name: 'bool quoted padding', repl: REMOTE('  mirror = "on "\n') },
  { name: 'global int bad', repl: '[gerrit]\n  maxRefsToShow = lots\n' + REMOTE('') },
  { name: 'global bool bad', repl: '[gerrit]\n  defaultForceUpdate = sure\n' + REMOTE('') },
  { name: 'replication int bad', repl: '[replication]\n  maxRetries = 3x\n' + REMOTE('') },
  { name: 'invalid url', repl: '[remote "m"]\n  url = http://[::1/${name}\n' },
  { name: 'invalid refspec', repl: REMOTE('  push = refs/heads/*\n') },
  { name: 'invalid refspec on remote without url', repl: '[remote "m"]\n  push = refs/heads/*:refs/x\n  push = a:b:c\n' },
  { name: 'insteadOf', repl: '[url "ssh://git@host/"]\n  insteadOf = gh:\n[remote "m"]\n  url = gh:org/${name}.git\n' },
  { name: 'pushurl', repl: REMOTE('  pushurl = /srv/other/${name}.git\n') },
  { name: 'two blocks merge', repl: REMOTE('  threads = 2\n') + REMOTE('  threads = 4\n  url = /b/${name}\n') },
  { name: 'include nested', repl: '[include]\n  path = a.config\n', files: { 'etc/a.config': REMOTE('  threads = 3\n') } },
  { name: 'include with bad int', repl: '[include]\n  path = a.config\n', files: { 'etc/a.config': REMOTE('  threads = x\n') } },
  { name: 'include with git-only error', repl: '[include]\n  path = a.config\n' + REMOTE(''), files: { 'etc/a.config': '[]\n' } },
  { name: 'include with JGit-only error', repl: '[include]\n  path = a.config\n' + REMOTE(''), files: { 'etc/a.config': '[gerrit]\n  x = a\\' } },
  { name: 'include missing', repl: '[include]\n  path = nope.config\n' + REMOTE('') },
  { name: 'include circular', repl: '[include]\n  path = replication.config\n' + REMOTE('') },
  { name: 'include subsection', repl: '[include "x"]\n  path = a.config\n', files: { 'etc/a.config': REMOTE('') } },
];

const INT_KEYS = ['threads', 'timeout', 'replicationDelay', 'rescheduleDelay', 'replicationRetry', 'drainQueueAttempts'];
const BOOL_KEYS = ['mirror', 'createMissingRepositories', 'replicatePermissions', 'replicateProjectDeletions', 'replicateNoteDbMetaRefs'];
const INT_VALUES = ['7', '15s', '\uff11', '\u0663\u0660', '\u00a05', '5\u00a0', '\u20035', '2147483647', '2147483648', '-2147483649', '3k', '2m', '1g', '2g', '0x10', '+7', '-0', '', '""', '1 k', ' k', '9223372036854775807', '9223372036854775808', '"12"', '1_000'];
const BOOL_VALUES = ['true', 'FALSE', 'yes', 'On', '1', '0', 'y', '2', '', '""', '" "', '"on "', 'tru\\\ne', 'off # c'];

function mutations(): Case[] {
  const out: Case[] = [];
  for (const k of INT_KEYS) for (const v of INT_VALUES) out.push({ name: `${k} = ${JSON.stringify(v)}`, repl: REMOTE(`  ${k} = ${v}\n`) });
  for (const k of BOOL_KEYS) for (const v of BOOL_VALUES) out.push({ name: `${k} = ${JSON.stringify(v)}`, repl: REMOTE(`  ${k} = ${v}\n`) });
  for (const k of BOOL_KEYS) for (const tail of ['', ' ', ' # c', '\t; c']) out.push({ name: `bare ${k}${JSON.stringify(tail)}`, repl: REMOTE(`  ${k}${tail}\n`) });
  return out;
}

/** Every Gerrit fixture site of the project (fan-out files left out: the probe reads replication.config). */
function fixtures(): Case[] {
  const base = join(FIXTURES, 'replication');
  return readdirSync(base).sort().map((site) => {
    const files: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const e of readdirSync(join(base, site, rel), { withFileTypes: true })) {
        const p = `${rel}/${e.name}`;
        if (e.isDirectory()) {
          if (p !== 'etc/replication') walk(p);
        } else if (p !== 'etc/replication.config') files[p] = readFileSync(join(base, site, p), 'utf8');
      }
    };
    walk('etc');
    return { name: `fixture ${site}`, repl: readFileSync(join(base, site, 'etc', 'replication.config'), 'utf8'), files };
  });
}

/** The git-config corpus (cases that once made our parser disagree with git). */
function corpus(): Case[] {
  return readCorpus().map((c) => ({ name: `corpus ${c.name}`, repl: c.text }));
}

function generated(): Case[] {
  return generateConfigs(20261202, 160).map((repl, i) => ({ name: `generated #${i}`, repl }));
}

// Our error codes that claim the plugin does not load (and that JGit, not the plugin's own
// checks, decides). missing-name, invalid-duration and the fan-out codes are the plugin's or
// Gerrit's own, which the probe does not run.
const LOAD_CODES = new Set(['key-outside-section', 'invalid-int', 'int-out-of-range', 'invalid-bool', 'invalid-url', 'invalid-refspec', 'include-too-deep', 'include-invalid']);
const claimsNoLoad = (d: Diagnostic) => d.severity === 1 && (LOAD_CODES.has(String(d.code)) || (d.code === 'syntax' && /the plugin does not load/.test(d.message)));

function reads(): ProbeRead[] {
  const out: ProbeRead[] = [];
  for (const sec of ['gerrit', 'replication', 'remote']) {
    const spec = findSection(REPLICATION_CATALOG, sec, 'replication')!;
    for (const k of spec.keys) {
      if (k.type !== 'int' && k.type !== 'bool') continue;
      const name = k.codeName ?? k.name;
      const dflt = typeof k.default === 'number' || typeof k.default === 'boolean' ? k.default : undefined;
      out.push({ type: k.type, section: sec, subsection: sec === 'remote' ? '*' : null, name, default: dflt });
    }
  }
  return out;
}

// Disagreements kept as facts, with the reason; each must still show up exactly so.
// (`http://[::1/x`, which URIish prints as `http:///[::1/x`, was one until the engine
// learned to refuse it: now neither side has a url to compare.)
const RECORDED: Record<string, { problem: RegExp; why: string }> = {
  // none at present
};

const stats = { compared: 0, refused: 0, jgitFails: 0, codes: new Set<string>() };

let probe: JGitProbe;
let work: ReturnType<typeof scratch>;
before(async () => {
  probe = await JGitProbe.start();
  work = scratch('gr-jgit-');
});
after(() => {
  probe?.stop();
  work?.cleanup();
});

const innermost = (a: ProbeAnswer) => (a.ok ? '' : (a.causes.at(-1) ?? '').replace(/^\w+: /, ''));

async function compare(c: Case, n: number): Promise<string[]> {
  const site = join(work.dir, `s${n}`);
  const repl = join(site, 'etc', 'replication.config');
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(repl, c.repl);
  for (const [p, t] of Object.entries(c.files ?? {})) {
    mkdirSync(dirname(join(site, p)), { recursive: true });
    writeFileSync(join(site, p), t);
  }
  const jgit = await probe.ask('file', repl, reads());
  if ('probeError' in jgit && jgit.probeError) return [`probe error: ${jgit.probeError}`];
  const diags = validate(TextDocument.create('file://' + repl, 'gerrit-replication', 1, c.repl), { path: repl, ws: diskWorkspace });
  const ours = diags.filter(claimsNoLoad);
  for (const d of ours) stats.codes.add(String(d.code));
  const errorsText = ours.map((d) => d.message).join('\n');
  const problems: string[] = [];
  const jgitErrors = !jgit.ok ? [innermost(jgit)] : [...(jgit.remotesError ? [jgit.remotesError[0].replace(/^\w+: /, '')] : []), ...jgit.reads.filter((r) => r.err).map((r) => r.err!)];
  const jgitFails = jgitErrors.length > 0;
  if (jgitFails) stats.jgitFails++;
  if (jgitFails !== ours.length > 0) {
    problems.push(jgitFails ? `JGit fails (${jgitErrors.join(' | ')}), we report no load failure` : `JGit loads, we say it does not: ${ours.map((d) => `[${d.code}] ${d.message}`).join(' | ')}`);
  }
  // Quoted JGit text is JGit's: the first error JGit throws appears in one of our messages.
  if (jgitFails && ours.length > 0 && !jgitErrors.some((m) => errorsText.includes(m))) {
    problems.push(`JGit says ${JSON.stringify(jgitErrors)}, we say: ${ours.map((d) => d.message).join(' | ')}`);
  }
  // Our model of JGit's reader, on files without includes (it does not follow them).
  if (!/\[\s*include/i.test(c.repl)) {
    const mine = jgitRead(c.repl).error?.message;
    const theirs = jgit.ok ? undefined : innermost(jgit);
    if (mine !== theirs) problems.push(`jgitRead says ${JSON.stringify(mine)}, JGit ${JSON.stringify(theirs)}`);
    // The shortcut for files JGit reads as git does must not hide an error or a value.
    const parsed = parseGitConfig(c.repl);
    const short = jgitReadOf(parsed);
    const full = jgitRead(c.repl);
    const raw = (r: typeof full, i: number) => {
      const e = parsed.entry(i);
      const v = r.values.get(e.keySpan.start);
      return v === undefined ? e.value : v ?? '';
    };
    const differs = Array.from({ length: parsed.entryCount }, (_, i) => i).find((i) => raw(short, i) !== raw(full, i));
    if (short.error?.message !== full.error?.message || differs !== undefined) problems.push(`jgitReadOf's shortcut differs from jgitRead (error ${JSON.stringify(short.error)} vs ${JSON.stringify(full.error)}, entry ${differs})`);
  }
  if (jgit.ok && !jgitFails && ours.length === 0 && jgit.remotes) {
    const loaded = loadSite(site, diskWorkspace);
    // A file git rejects (a form feed before a key): the plugin loads it, our engine refuses
    // the whole site (an error in `check`), so it has no reading of its own to compare.
    if (loaded.refused) {
      stats.refused++;
      return problems;
    }
    stats.compared++;
    const byName = new Map(loaded.remotes.map((r) => [r.name, r]));
    const names = loaded.remotes.map((r) => r.name);
    if (JSON.stringify(names) !== JSON.stringify(jgit.kept)) problems.push(`remotes: JGit keeps ${JSON.stringify(jgit.kept)}, we ${JSON.stringify(names)}`);
    for (const rc of jgit.remotes) {
      const r = byName.get(rc.name);
      if (!r) continue;
      if (JSON.stringify(r.urls) !== JSON.stringify(rc.uris)) problems.push(`remote ${rc.name} urls: JGit ${JSON.stringify(rc.uris)}, we ${JSON.stringify(r.urls)}`);
      const push = rc.push.length ? rc.push : undefined;
      if (push && JSON.stringify(r.push) !== JSON.stringify(push)) problems.push(`remote ${rc.name} push: JGit ${JSON.stringify(push)}, we ${JSON.stringify(r.push)}`);
    }
    const spec = findSection(REPLICATION_CATALOG, 'remote', 'replication')!;
    for (const rd of jgit.reads) {
      const m = /^remote\.(.*)\.([^.]+)$/s.exec(rd.k);
      if (!m) continue;
      const key = [...INT_KEYS, ...BOOL_KEYS].find((k) => (findKey(spec, k)!.codeName ?? k) === m[2]);
      const r = byName.get(m[1]);
      if (!key || !r) continue;
      const ks = findKey(spec, key)!;
      const expected = typeof rd.v === 'number' && ks.floor !== undefined ? Math.max(ks.floor, rd.v) : rd.v;
      const got = r[key as keyof RemoteSettings];
      if (got !== expected) problems.push(`${rd.k}: JGit (after the plugin's floor) ${JSON.stringify(expected)}, we ${JSON.stringify(got)}`);
    }
  }
  return problems;
}

test('secure.config, which Gerrit loads with the same FileBasedConfig: an error says it does not load exactly when JGit throws', async () => {
  const cases = [...HAND.filter((c) => !c.files), ...corpus()];
  const failures: string[] = [];
  for (let i = 0; i < cases.length; i++) {
    const etc = join(work.dir, `secure${i}`, 'etc');
    mkdirSync(etc, { recursive: true });
    writeFileSync(join(etc, 'replication.config'), REMOTE(''));
    const path = join(etc, 'secure.config');
    writeFileSync(path, cases[i].repl, { mode: 0o600 });
    const jgit = await probe.ask('file', path);
    const ours = validate(TextDocument.create('file://' + path, 'gerrit-replication', 1, cases[i].repl), { path, ws: diskWorkspace }).filter(claimsNoLoad);
    if (!jgit.ok !== ours.length > 0) failures.push(`${cases[i].name}: JGit ${jgit.ok ? 'loads' : `fails (${innermost(jgit)})`}, we ${ours.length ? ours.map((d) => d.message).join(' | ') : 'report no load failure'}`);
    else if (!jgit.ok && !ours.some((d) => d.message.includes(innermost(jgit)))) failures.push(`${cases[i].name}: JGit says ${innermost(jgit)}, we ${ours.map((d) => d.message).join(' | ')}`);
  }
  assert.deepEqual(failures, []);
});

test(`the probe runs the JGit the expectations were observed with (${OBSERVED_WITH})`, () => {
  assert.equal(JGIT_VERSION, OBSERVED_WITH);
  assert.equal(probe.jgit, OBSERVED_WITH);
});

test('every error that says the plugin does not load is JGit throwing, and the reverse', async (t) => {
  const cases = [...HAND, ...fixtures(), ...corpus(), ...mutations(), ...generated()];
  const failures: string[] = [];
  let agree = 0;
  const t0 = Date.now();
  let recorded = 0;
  for (let i = 0; i < cases.length; i++) {
    const p = await compare(cases[i], i);
    const known = RECORDED[cases[i].name];
    if (known) {
      recorded++;
      if (p.length !== 1 || !known.problem.test(p[0])) failures.push(`${cases[i].name}: the recorded disagreement (${known.why}) changed: ${JSON.stringify(p)}`);
    } else if (p.length === 0) agree++;
    else failures.push(`${cases[i].name} ${JSON.stringify(cases[i].repl)}:\n    ${p.join('\n    ')}`);
  }
  t.diagnostic(`${agree} of ${cases.length} cases agree with JGit ${probe.jgit}, ${recorded} recorded as facts (${Date.now() - t0} ms); JGit fails on ${stats.jgitFails}; values compared on ${stats.compared}, ${stats.refused} refused by our engine (git rejects the file)`);
  assert.equal(recorded, Object.keys(RECORDED).length);
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  // Every load-failure code was claimed by some case (and so checked against JGit).
  assert.deepEqual([...LOAD_CODES, 'syntax'].filter((code) => !stats.codes.has(code)), []);
  assert.deepEqual(failures, [], `${failures.length} disagreements:\n${failures.slice(0, 40).join('\n')}`);
});
