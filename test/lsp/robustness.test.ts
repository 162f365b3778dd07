// "The server survives any input": every language feature of every file kind, run in process on
// generated configs and on random token soup, must return without throwing, without an
// 'internal' diagnostic (a crashed rule), and in reasonable time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { moduleFor, validate } from '../../server/src/formats';
import { diskWorkspace, overlayWorkspace } from '../../server/src/service/workspace';
import { generateConfigs, prng } from '../support/gitconfig-generator';
import { RequestRefused } from '../../server/src/service/errors';

function refusalOk(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof RequestRefused)) throw err;
  }
}

// Not on disk: the overlay answers for the file itself, the disk (nothing there) for the rest.
const PATHS = [
  '/nonexistent/site/etc/replication.config',
  '/nonexistent/site/etc/secure.config',
  '/nonexistent/site/etc/replication/mirror.config',
  '/nonexistent/admin/conf/gitolite.conf',
  '/nonexistent/home/.gitolite.rc',
];

const TOKENS = [' ', '\n', '\t', '\r', '\0', '[', ']', '"', '\\', '=', '#', ';', '@', '$', '{', '}', '(', ')', '*', '+', ':', '/', '.', '-', '^', '?',
  'remote', 'url', 'push', 'projects', 'adminUrl', 'gerrit', 'refs/heads/', '${name}', 'ssh://', 'file:', 'true', 'dash', 'password', 'username',
  '[url "', '[remote "', 'insteadOf', 'repo', 'RW+', 'option mirror.master', 'option mirror.slaves', '@all', 'include', '%RC', '=>', 'é', '\u2028'];

function soups(seed: number, count: number): string[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => {
    let t = '';
    for (let n = 5 + Math.floor(rnd() * 150); n > 0; n--) t += TOKENS[Math.floor(rnd() * TOKENS.length)];
    return t;
  });
}

test('every feature of every file kind survives generated and random input', () => {
  const texts = [...generateConfigs(31337, 300), ...soups(4242, 300)];
  let calls = 0;
  let slowest = 0;
  for (const path of PATHS) {
    const mod = moduleFor(path);
    assert.ok(mod, `no language module for ${path}`);
    for (const text of texts) {
      const doc = TextDocument.create(`file://${path}`, 'x', 1, text);
      const ctx = { path, ws: overlayWorkspace(diskWorkspace, () => new Map([[path, text]])) };
      const what = `${path} on ${JSON.stringify(text).slice(0, 300)}`;
      const t0 = process.cpuUsage();
      let diags: Diagnostic[] = [];
      try {
        diags = validate(doc, ctx);
        const internal = diags.filter((d) => d.code === 'internal');
        assert.deepEqual(internal, [], what);
        for (const line of [0, 1, doc.lineCount - 1]) {
          for (const character of [0, 3, 1000]) {
            const pos = { line, character };
            mod.complete?.(doc, pos, ctx);
            mod.hover?.(doc, pos, ctx);
            mod.codeActions?.(doc, { start: { line, character: 0 }, end: pos }, diags, ctx);
            mod.definition?.(doc, pos, ctx);
            mod.references?.(doc, pos, ctx);
            // A refusal with a reason for the user (rename in a fan-out file) is an answer, not a crash.
            refusalOk(() => mod.prepareRename?.(doc, pos, ctx));
            refusalOk(() => mod.rename?.(doc, pos, 'renamed', ctx));
            calls += 7;
          }
        }
        mod.documentSymbols?.(doc, ctx);
        mod.foldingRanges?.(doc, ctx);
        calls += 3;
      } catch (err) {
        assert.fail(`${(err as Error).stack}\n  on ${what}`);
      }
      const used = process.cpuUsage(t0);
      slowest = Math.max(slowest, (used.user + used.system) / 1000);
    }
  }
  // Inputs are under 2 KB: a second of CPU on one means a runaway loop or regex. CPU time, not
  // wall time, so a loaded machine (seen: 1.1 s wall at load 23) does not trip it.
  assert.ok(slowest < 1000, `slowest input took ${slowest.toFixed(0)} ms of CPU`);
  assert.ok(calls > 10_000);
});
