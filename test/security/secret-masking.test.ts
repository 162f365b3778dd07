// No password or token in any message, title, symbol, hover or log line (issue 10, D8): urls with
// secrets in every position of a config — remote urls, adminUrl, pushurl, `[url "…"]` section
// names and insteadOf values, remote names, secure.config, fan-out files, scp-like urls, lone
// token users — through the real CLI (`check`, `plan`, `daemon`) and the real language server.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { CLI, scratch } from '../support/helpers';
import { LspClient } from '../support/lsp-client';
import { maskSecrets, redactSecrets } from '../../server/src/service/secrets';
import { redact } from '../../server/src/engine/transport/invocation';

const work = scratch('gr-secrets-');
after(() => work.cleanup());

// What a password in a url may hold without git-config quoting trouble: unreserved, sub-delims,
// ':' and percent escapes — and '@', which must not leave the rest of the password shown.
const PW_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&\'()*+,;=:%@';
const pwChar = fc.constantFrom(...PW_CHARS.split(''));
/** A secret: 10–24 characters, starting with a letter so it is not mistaken for anything else. */
const secretArb = fc.tuple(fc.constantFrom(...'QXZJKW'.split('')), fc.array(pwChar, { minLength: 9, maxLength: 23 })).map(([a, b]) => a + b.join(''));
const userArb = fc.stringMatching(/^[a-z][a-z0-9._-]{0,8}$/);
const tokenArb = fc.tuple(fc.constantFrom('ghp_', 'glpat-', 'github_pat_', ''), fc.stringMatching(/^[A-Za-z0-9]{24,36}$/)).map(([p, t]) => p + t);
const schemeArb = fc.constantFrom('https', 'http', 'ssh', 'git+ssh', 'ftp', 'HTTPS');

/** The forms a secret could leak in: as written, percent-decoded, percent-encoded. */
function forms(secret: string): string[] {
  const out = new Set([secret, encodeURIComponent(secret)]);
  try {
    out.add(decodeURIComponent(secret));
  } catch {
    // not valid percent-encoding: as written only
  }
  return [...out].filter((f) => f.length >= 8);
}

function assertNoSecret(text: string, secrets: string[], what: string) {
  for (const s of secrets) for (const f of forms(s)) assert.ok(!text.includes(f), `${what} shows the secret ${JSON.stringify(f)}:\n${text.slice(Math.max(0, text.indexOf(f) - 300), text.indexOf(f) + 300)}`);
}

test('maskSecrets: no password of a url survives, whatever it holds and wherever the url stands', () => {
  fc.assert(
    fc.property(schemeArb, userArb, secretArb, fc.constantFrom('', '/', '/p.git', ':29418/${name}'), fc.constantFrom('', "'", '"', '[url "', '(', 'x '), (scheme, user, secret, tail, before) => {
      const url = `${scheme}://${user}:${secret}@host.example${tail}`;
      const text = `${before}${url}${before === '[url "' ? '"]' : before} and more`;
      const masked = maskSecrets(text);
      assertNoSecret(masked, [secret], 'maskSecrets');
      assert.ok(masked.includes(`${scheme}://${user}:***@`), masked);
    }),
    { numRuns: 2000 },
  );
  fc.assert(fc.property(tokenArb, (token) => assertNoSecret(maskSecrets(`url 'https://${token}@github.com/o/r.git'`), [token], 'token user')), { numRuns: 300 });
  // scp-like user:password@host:path
  fc.assert(fc.property(userArb, secretArb.filter((s) => !/[@'"`\s/]/.test(s)), (user, secret) => assertNoSecret(maskSecrets(`'${user}:${secret}@host:path/x.git'`), [secret], 'scp')), { numRuns: 500 });
  // What is no secret stays as it is.
  for (const plain of ['ssh://git@host/x.git', 'git@host:x.git', 'https://host/a@b', 'mail admin@example.com', 'https://user@host/']) assert.equal(maskSecrets(plain), plain);
});

test('maskSecrets: a url that path.resolve has folded to one slash keeps no password either', () => {
  assert.equal(maskSecrets('no readable file at /tmp/x/inc/https:/bot:Zq8sEcReT4x@h/y'), 'no readable file at /tmp/x/inc/https:/bot:***@h/y');
});

test('the engine\'s redact is the shared mask, as strong as before', () => {
  for (const [text, secrets] of [['fatal: auth failed for pw and S3cr3t-p%40ss', ['pw', 'S3cr3t-p@ss']], ['Everything up-to-date', ['pdat']], ['https://u:x@h/ said a', ['a']]] as Array<[string, string[]]>) {
    assert.equal(redact(text, secrets), redactSecrets(text, secrets));
  }
  assert.equal(redact('auth failed for pw and S3cr3t-p%40ss', ['pw', 'S3cr3t-p@ss']), 'auth failed for *** and ***');
  assert.equal(redact('Everything up-to-date', ['pdat']), 'Everything up-to-date');
  assert.equal(redact('a pw b', ['pw']), 'a *** b');
  assert.equal(redact("unable to access 'https://u:a@h/x/'", ['a']), "unable to access 'https://u:***@h/x/'");
});

interface Case {
  user: string;
  secret: string;
  token: string;
  scheme: string;
}

/** A Gerrit site with each case's secret in every position a url can take. */
function writeSite(dir: string, cases: Case[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'git'), { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', join(dir, 'git', 'p.git')]);
  const q = (v: string) => `"${v}"`;
  let repl = '[gerrit]\n  autoReload = false\n';
  let secure = '';
  cases.forEach((c, i) => {
    const u = `${c.scheme}://${c.user}:${c.secret}@127.0.0.1:1`;
    repl += `[remote "r${i}"]\n  url = ${q(`${u}/\${name}.git`)}\n  url = ${q(`https://${c.token}@127.0.0.1:1/\${name}.git`)}\n  pushurl = ${q(`${u}/push`)}\n  adminUrl = ${q(`${u}/admin`)}\n  projects = p\n`;
    repl += `[remote "${u}/name${i}"]\n  url = ${q(`${u}/%zz`)}\n`;
    repl += `[url "${u}/base${i}/"]\n  insteadOf = m${i}:\n[url "https://h${i}/"]\n  insteadOf = ${q(`${u}/old${i}/`)}\n`;
    repl += `[remote "s${i}"]\n  url = ${q(`${c.user}:${c.secret.replace(/[@'"\s/]/g, 'x')}@127.0.0.1:p/\${name}.git`)}\n`;
    secure += `[url "${u}/sec${i}/"]\n  insteadOf = q${i}:\n[remote "${u}/cred${i}"]\n  password = ${q(c.secret)}\n[remote "r${i}"]\n  password = ${q(c.secret)}\n`;
  });
  writeFileSync(join(dir, 'etc', 'replication.config'), repl);
  writeFileSync(join(dir, 'etc', 'secure.config'), secure);
  chmodSync(join(dir, 'etc', 'secure.config'), 0o600);
  // A fan-out file next door (checked on its own; the site above keeps replication.config's remotes).
  const fan = join(dir, 'fan');
  mkdirSync(join(fan, 'etc', 'replication'), { recursive: true });
  writeFileSync(join(fan, 'etc', 'replication.config'), '[gerrit]\n  autoReload = false\n');
  writeFileSync(join(fan, 'etc', 'replication', 'f.config'), cases.map((c, i) => `[url "${c.scheme}://${c.user}:${c.secret}@h/f${i}/"]\n  insteadOf = f${i}:\n`).join('') + `[remote]\n  url = "https://${cases[0].token}@h/\${name}"\n`);
  return cases.flatMap((c) => [c.secret, c.token]);
}

const caseArb = fc.record({ user: userArb, secret: secretArb, token: tokenArb, scheme: schemeArb });

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  assert.equal(r.signal, null, `${args[0]} hung`);
  return r.stdout + r.stderr;
}

test('check and plan print no secret from any position (property over random user info)', async () => {
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(caseArb, { minLength: 2, maxLength: 4 }), async (cases) => {
      runs++;
      const site = join(work.dir, 'site');
      const secrets = writeSite(site, cases);
      const check = cli(['check', site]) + cli(['check', '--format', 'json', site]);
      assert.match(check, /secure-other-section|fanout-other-section/, 'the positions are reached');
      assertNoSecret(check, secrets, 'check');
      const plan = cli(['plan', '--site', site, '--all']) + cli(['plan', '--site', site, '--json', '--all']);
      assertNoSecret(plan, secrets, 'plan');
    }),
    { numRuns: 4 },
  );
  assert.equal(runs, 4);
});

test('daemon log lines show no secret', async () => {
  const site = join(work.dir, 'daemon-site');
  const secret = 'Qd43m0n-s3cr3t!x';
  mkdirSync(join(site, 'etc', 'replication'), { recursive: true });
  mkdirSync(join(site, 'git'), { recursive: true });
  // replication.config's remotes are dropped for the fan-out directory: Gerrit logs their names.
  writeFileSync(join(site, 'etc', 'replication.config'), `[gerrit]\n  autoReload = false\n[remote "https://bot:${secret}@h/x"]\n  url = https://h/\${name}\n`);
  writeFileSync(join(site, 'etc', 'replication', 'a.config'), '[remote]\n  url = /tmp/nowhere/${name}.git\n');
  const child = spawn(process.execPath, [CLI, 'daemon', '--site', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (out += b));
  try {
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no project scan line:\n${out}`)), 30_000);
      const poll = setInterval(() => {
        if (/project scan/.test(out) || child.exitCode !== null) {
          clearInterval(poll);
          clearTimeout(t);
          resolve();
        }
      }, 50);
    });
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
  assert.match(out, /Ignoring: https:\/\/bot:\*\*\*@h\/x/, out);
  assertNoSecret(out, [secret], 'daemon log');
});

/** An LSP answer without what is applied rather than shown (edits write the user's own text back). */
function shown(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v, (k, x) => (['edit', 'newText', 'textEdit', 'additionalTextEdits', 'insertText', 'data'].includes(k) ? undefined : x)));
}

test('the language server shows no secret: diagnostics, outline, hover, completion, code actions, links', async () => {
  const c = new LspClient({ initializationOptions: { diagnosticsDelay: 0 } });
  try {
    await c.initialize(pathToFileURL(work.dir).toString());
    const cases = fc.sample(caseArb, { numRuns: 3, seed: 42 });
    const site = join(work.dir, 'lsp-site');
    const secrets = writeSite(site, cases);
    const files = [join(site, 'etc', 'replication.config'), join(site, 'etc', 'secure.config'), join(site, 'fan', 'etc', 'replication', 'f.config')];
    const answers: unknown[] = [];
    for (const f of files) {
      const uri = pathToFileURL(f).toString();
      const text = readFileSync(f, 'utf8');
      c.open(uri, text);
      const d = await c.diagnosticsFor(uri, 1, 20_000);
      answers.push(d);
      answers.push(await c.request('textDocument/documentSymbol', { textDocument: { uri } }));
      answers.push(await c.request('textDocument/foldingRange', { textDocument: { uri } }));
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (const character of [1, 8, 14, 30, 60]) {
          if (character > lines[line].length) continue;
          const position = { line, character };
          answers.push(await c.request('textDocument/hover', { textDocument: { uri }, position }));
          answers.push(await c.request('textDocument/definition', { textDocument: { uri }, position }));
        }
        answers.push(await c.request('textDocument/completion', { textDocument: { uri }, position: { line, character: lines[line].length } }));
      }
      for (const diag of d.diagnostics as Diagnostic[]) answers.push(await c.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } }));
    }
    const all = JSON.stringify(shown(answers));
    assert.match(all, /\[url \\"https?:\/\/[^"]*:\*\*\*@|:\*\*\*@/, 'the positions are reached');
    assertNoSecret(all + c.stderr, secrets, 'the language server');
    assert.ok(c.alive);
  } finally {
    c.kill();
  }
});

// Found by the fuzz suite (issue 10 item 5): text after a section header's ']' is quoted in
// header-trailing-text, and in secure.config that text is a password (with lone-CR line ends,
// JGit reads the whole rest of the file as one line).
test('check quotes no secure.config password in header-trailing-text, whatever the line ends', () => {
  const site = join(work.dir, 'trailing');
  mkdirSync(join(site, 'etc'), { recursive: true });
  writeFileSync(join(site, 'etc', 'replication.config'), '[remote "mirror"]\n  url = ssh://h/${name}.git\n');
  for (const text of ['[remote "mirror"] password = Zq8sEcReT4x\n', '[remote "mirror"]\r  username = bot\r  password = Zq8sEcReT4x\r']) {
    writeFileSync(join(site, 'etc', 'secure.config'), text, { mode: 0o600 });
    const out = cli(['check', '--format', 'json', site]);
    assert.match(out, /header-trailing-text/, 'the check is reached');
    assert.doesNotMatch(out, /Zq8sEcReT4x/);
  }
});
