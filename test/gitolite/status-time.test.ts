// gl-copy-<copy>.status stamps are local time (gitolite's gen_ts uses localtime): what we write
// reads back as the same instant, and a stamp gitolite's own Perl writes reads back as now, in a
// time zone far from UTC.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { glStamp, glTime } from '../../server/src/engine/gitolite/glTime';

const ZONE = 'Asia/Kolkata'; // UTC+5:30 all year: a UTC stamp read as local is 5.5 h off

test('our stamp reads back as the instant it was written, in a zone away from UTC', () => {
  const saved = process.env.TZ;
  process.env.TZ = ZONE;
  try {
    const d = new Date(Math.floor(Date.now() / 1000) * 1000);
    assert.equal(glTime(glStamp(d)), d.toISOString());
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});

test("a stamp from gitolite's gen_ts reads back as now, and ours equals it", () => {
  const perl = `use lib '/usr/share/gitolite3/lib'; use Gitolite::Common; print Gitolite::Common::gen_ts();`;
  const before = Date.now();
  const theirs = execFileSync('perl', ['-e', perl], { env: { ...process.env, TZ: ZONE }, encoding: 'utf8' });
  const saved = process.env.TZ;
  process.env.TZ = ZONE;
  try {
    const at = Date.parse(glTime(theirs)!);
    assert.ok(Math.abs(at - before) < 120_000, `${theirs} read as ${new Date(at).toISOString()}`);
    const ours = glStamp(new Date(before));
    assert.ok(Math.abs(Date.parse(glTime(ours)!) - at) < 120_000, `ours ${ours}, gitolite's ${theirs}`);
  } finally {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  }
});
