import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readRc } from '../../server/src/gitolite/rcReader';

test('rc reader: mismatched brackets end, never loop (a stray closer used to hang the server)', () => {
  for (const text of ['$e=[""}\n', '%RC = ( ENABLE => [ "Mirroring" } );\n', '$x = ( 1, ] );\n', '%RC = { HOSTNAME => [ ) };\n']) {
    const t0 = Date.now();
    readRc(text);
    assert.ok(Date.now() - t0 < 1000, JSON.stringify(text));
  }
  // The well-formed part before a stray closer is still read.
  const rc = readRc("%RC = (\n  HOSTNAME => 'gl1',\n  ENABLE => [ 'Mirroring' } ,\n);\n");
  assert.equal((rc as unknown as { hostname?: string; HOSTNAME?: string }).hostname ?? (rc as any).HOSTNAME?.value ?? JSON.stringify(rc).includes('gl1') ? 'gl1' : undefined, 'gl1');
});
