import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../support/helpers';
import { replicationModule as m } from '../../server/src/replication';
import { doc, FANOUT, memoryWorkspace, REPL, SECURE } from '../support/replication-helpers';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
}

const PIECES = ['[', ']', '"', '\\', '\n', '=', '#', ';', ' ', '${name}', '*', ':', '+', '^', '%', 'remote', 'url', '\r\n', '\t', '\u00e9', '\ud800', '\0', 'k', '-', '.'];

function mutate(text: string, r: () => number): string {
  let t = text;
  for (let i = 0, n = 1 + Math.floor(r() * 6); i < n; i++) {
    const at = Math.floor(r() * (t.length + 1));
    if (r() < 0.5) t = t.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + t.slice(at);
    else t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 5));
  }
  return t;
}

test('every feature survives mutated fixtures at many positions, in every file kind', () => {
  const sources = files(join(FIXTURES, 'replication')).map((p) => readFileSync(p, 'utf8'));
  const r = rng(42);
  let runs = 0;
  for (let round = 0; round < 60; round++) {
    const base = sources[round % sources.length];
    const text = round < sources.length ? base : mutate(base, r);
    for (const path of [REPL, SECURE, FANOUT('x')]) {
      const ws = memoryWorkspace({ [path]: text, [REPL]: path === REPL ? text : sources[0] });
      const ctx = { path, ws };
      const d = doc(text, path);
      const diags = m.validate(d, ctx);
      const everything = { start: { line: 0, character: 0 }, end: d.positionAt(text.length) };
      m.codeActions!(d, everything, diags, ctx);
      m.documentSymbols!(d, ctx);
      m.foldingRanges!(d, ctx);
      const step = Math.max(1, Math.floor(text.length / 25));
      for (let off = 0; off <= text.length; off += step) {
        const pos = d.positionAt(off);
        m.complete!(d, pos, ctx);
        m.hover!(d, pos, ctx);
        m.definition!(d, pos, ctx);
        runs++;
      }
      for (const x of diags) {
        assert.ok(x.range.start.line <= x.range.end.line, 'ranges are ordered');
        assert.ok(typeof x.code === 'string' && x.message.length > 0);
      }
    }
  }
  assert.ok(runs > 1000);
});
