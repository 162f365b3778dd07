// The benches' generated sites: the replication.config of `npm run bench` and `npm run bench:cli`,
// and the gitolite site of `npm run bench:gitolite` (and of bench:workspace, which uses both).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A deterministic, realistic replication.config: a mix of the keys admins actually write. */
export function generateConfig(remotes, seed = 1) {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = [
    '# Gerrit replication: generated for the benchmark',
    '[gerrit]',
    '  autoReload = true',
    '  replicateOnStartup = false',
    '  defaultForceUpdate = false',
    '  sshConnectionTimeout = 2 min',
    '[replication]',
    '  lockErrorMaxRetries = 5',
    '  maxRetries = 10',
    '  updateRefErrorMaxRetries = 3',
    '',
  ];
  for (let i = 0; i < remotes; i++) {
    const host = `mirror-${i % 97}.dc${i % 5}.example.com`;
    if (rnd() < 0.5) out.push(`# mirror ${i}: ${pick(['primary DR site', 'read-only replica', 'CI cache', 'partner mirror'])}`);
    out.push(`[remote "mirror-${i}"]`);
    out.push(`  url = ssh://gerrit@${host}:29418/srv/git/\${name}.git`);
    if (rnd() < 0.5) out.push(`  url = git@backup-${i % 13}.example.org:repos/\${name}.git`);
    if (rnd() < 0.3) out.push(`  adminUrl = ssh://admin@${host}/srv/git/\${name}.git`);
    out.push('  push = +refs/heads/*:refs/heads/*');
    out.push('  push = +refs/tags/*:refs/tags/*');
    if (rnd() < 0.3) out.push('  push = refs/changes/*:refs/changes/*');
    out.push(`  threads = ${1 + (i % 8)}`);
    if (rnd() < 0.7) out.push(`  timeout = ${pick([30, 60, 120])}`);
    out.push(`  replicationDelay = ${pick([0, 5, 15, 60])}`);
    if (rnd() < 0.4) out.push(`  replicationRetry = ${pick([1, 2, 5])}`);
    if (rnd() < 0.3) out.push(`  rescheduleDelay = ${pick([3, 5, 10])}`);
    out.push(`  projects = ${pick(['^team-' + (i % 40) + '/.*', 'platform/*', 'All-Projects', '^(?:a|b)/.*'])}`);
    if (rnd() < 0.4) out.push(`  authGroup = ${pick(['Mirror Readers', 'Registered Users', 'Partners'])}`);
    if (rnd() < 0.3) out.push(`  mirror = ${pick(['true', 'false'])} ; delete refs that vanish upstream`);
    if (rnd() < 0.3) out.push(`  createMissingRepositories = ${pick(['true', 'false'])}`);
    if (rnd() < 0.2) out.push(`  remoteNameStyle = ${pick(['slash', 'dash', 'underscore', 'basenameOnly'])}`);
    if (rnd() < 0.2) out.push('  replicatePermissions = false');
    out.push('');
  }
  return out.join('\n');
}

/**
 * The gitolite bench site: an rc with Mirroring, a gitolite.conf with `groups` groups and
 * `files` included files holding `repos` repos in all (a fifth of them mirrored). Returns conf/.
 */
export function writeGitoliteBenchSite(dir, { repos = 20_000, groups = 2_000, files = 20 } = {}) {
  const conf = join(dir, 'conf');
  mkdirSync(join(conf, 'repos'), { recursive: true });
  writeFileSync(join(dir, '.gitolite.rc'), "%RC = (\n  GIT_CONFIG_KEYS => 'hooks\\..*',\n  HOSTNAME => 'gl1',\n  ENABLE => [ 'help', 'Mirroring', 'mirror' ],\n);\n1;\n");
  const main = ['# generated: 2,000 groups, 20 included files with 1,000 repos each', '@admins = alice bob'];
  for (let g = 0; g < groups; g++) main.push(`@g${g} = u${g} u${g + 1} u${g + 2}${g > 0 && g % 10 === 0 ? ` @g${g - 1}` : ''}`);
  main.push('repo gitolite-admin', '    RW+ = @admins', '');
  main.push('include "repos/*.conf"');
  writeFileSync(join(conf, 'gitolite.conf'), main.join('\n') + '\n');
  const per = repos / files;
  for (let f = 0; f < files; f++) {
    const lines = [`# repos ${f * per}..${(f + 1) * per - 1}`];
    for (let i = f * per; i < (f + 1) * per; i++) {
      lines.push(`repo r${i}`, `    RW+ = @g${i % groups}`, `    RW dev/ = u${i % 97} @admins`, '    R = @all');
      if (i % 5 === 0) lines.push('    option mirror.master = gl1', '    option mirror.copies = gl2 gl3');
      if (i % 50 === 0) lines.push('    config hooks.mailinglist = dev@example.com');
    }
    writeFileSync(join(conf, 'repos', `part${String(f).padStart(2, '0')}.conf`), lines.join('\n') + '\n');
  }
  return conf;
}
