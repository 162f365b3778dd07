// The README is the front door: every relative link in it and in docs/ must lead somewhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../support/helpers';
import { readDocs } from '../support/docs';

test('every relative link of README.md and docs/*.md names a file that exists', () => {
  const docs = readDocs();
  const broken: string[] = [];
  for (const [file, text] of Object.entries(docs)) {
    for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/i.test(target)) continue;
      if (!existsSync(join(ROOT, dirname(file), target))) broken.push(`${file}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
  assert.ok(Object.keys(docs).length > 5, 'docs/ holds the reference');
});
