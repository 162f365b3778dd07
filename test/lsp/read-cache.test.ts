// The disk workspace serves an unchanged file from memory (same inode, size, mtime and ctime),
// so a re-check of a site does not read and decode every included file again. A change on disk
// must still be seen: right after a write (a second write of the same size within the clock's
// tick leaves the stat as it was, so a young file is always read fresh), later, and when the
// mtime is put back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diskWorkspace, racyWindowMs } from '../../server/src/service/workspace';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the read cache sees every change on disk: same size, right after a write, after the racy window, with the mtime put back', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gr-read-cache-'));
  try {
    const f = join(dir, 'gitolite.conf');
    writeFileSync(f, 'repo aaaa\n');
    assert.equal(diskWorkspace.read(f), 'repo aaaa\n');
    // Same size, at once (likely the same clock tick as the first write).
    writeFileSync(f, 'repo bbbb\n');
    assert.equal(diskWorkspace.read(f), 'repo bbbb\n');
    // Past the window: the entry is trusted, and the next write still changes the stat.
    const st = statSync(f, { bigint: true });
    await sleep(racyWindowMs(st.mtimeNs, st.ctimeNs) + 30);
    assert.equal(diskWorkspace.read(f), 'repo bbbb\n');
    writeFileSync(f, 'repo cccc\n');
    assert.equal(diskWorkspace.read(f), 'repo cccc\n');
    // The mtime put back (to the millisecond, as utimes takes it): still seen.
    const old = statSync(f);
    await sleep(racyWindowMs(st.mtimeNs, st.ctimeNs) + 30);
    assert.equal(diskWorkspace.read(f), 'repo cccc\n');
    writeFileSync(f, 'repo dddd\n');
    utimesSync(f, old.atime, old.mtime);
    assert.equal(diskWorkspace.read(f), 'repo dddd\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the racy window: five clock ticks for nanosecond timestamps, two seconds for whole milliseconds or seconds', () => {
  assert.equal(racyWindowMs(1_764_000_000_123_456_789n, 1_764_000_000_123_456_789n), 50);
  assert.equal(racyWindowMs(1_764_000_000_000_000_000n, 1_764_000_000_000_000_000n), 2000); // FAT, whole seconds
  assert.equal(racyWindowMs(1_764_000_000_123_000_000n, 1_764_000_000_123_456_789n), 2000); // whole milliseconds
});
