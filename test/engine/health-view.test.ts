// The editor's health requests through the language server's engine bridge, over real git and
// the real git http-backend: status per target with its template (what the Remotes view keys
// URL rows by), explain, and Test connection (a real ls-remote; the error is redacted). In an
// untrusted workspace neither status nor Test connection runs git.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { scratch } from '../support/helpers';
import { bare, git, workRepo, writeSite } from '../support/engine-helpers';
import { startGitHttpBackend } from '../infra/httpBackend';
import { EngineBridge } from '../../server/src/lsp/engineBridge';
import { maskDeep } from '../../server/src/service/secrets';

test('status, explain and Test connection through the bridge; untrusted: no ls-remote', async () => {
  const s = scratch('gr-health-view-');
  const site = join(s.dir, 'site');
  const mirrors = join(s.dir, 'mirrors');
  const httpRoot = join(s.dir, 'http');
  const SECRET = 'Wr0ng-pa55word-xyz';
  const http = await startGitHttpBackend({ projectRoot: httpRoot, username: 'mirror', password: 'the-right-one' });
  const logs: string[] = [];
  const bridge = new EngineBridge({ queueChanged: () => {}, log: (p) => logs.push(p.message) }, { site, trusted: true });
  try {
    writeSite(site, [
      '[remote "local"]', `  url = ${mirrors}/\${name}.git`, '  projects = alpha', '  projects = beta',
      '[remote "web"]', `  url = ${http.baseUrl}/\${name}.git`, '  projects = alpha', '',
    ].join('\n'), { 'etc/secure.config': `[remote "web"]\n  username = mirror\n  password = ${SECRET}\n` });
    const w = workRepo(join(s.dir, 'work'));
    const a = w.commit('a');
    const b = w.commit('b', a);
    for (const p of ['alpha', 'beta', 'gamma']) git(w.dir, 'push', '-q', bare(join(site, 'git', `${p}.git`)), `${b}:refs/heads/master`);
    git(w.dir, 'push', '-q', bare(join(mirrors, 'alpha.git')), `${b}:refs/heads/master`);
    git(w.dir, 'push', '-q', bare(join(mirrors, 'beta.git')), `${a}:refs/heads/master`);
    bare(join(httpRoot, 'alpha.git'));

    const st = await bridge.status({ remotes: ['local'] });
    const by = new Map(st.targets.map((t) => [t.project, t]));
    assert.equal(by.get('alpha')?.health, 'in-sync');
    assert.equal(by.get('beta')?.health, 'behind');
    assert.equal(by.get('beta')?.template, `${mirrors}/\${name}.git`, 'each target names the url template it comes from');
    assert.equal(by.has('gamma'), false, 'gamma is not replicated to local');
    await assert.rejects(bridge.status({ remotes: ['nope'] }), /no remote named "nope"/);

    const e = bridge.explain({ project: 'gamma', remotes: ['local'] });
    assert.equal(e.existsAtSource, true);
    assert.equal(e.remotes[0].projectReplicated, false);
    assert.match(e.remotes[0].steps.map((x) => `${x.rule}: ${x.detail}`).join('\n'), /projects: none of "alpha", "beta" matches/);

    const ok = await bridge.testConnection({ remote: 'local' });
    assert.deepEqual(ok.map((r) => [r.ok, r.project, r.refs]), [[true, 'alpha', 2]]);
    // The http host refuses the wrong password: git's error, and no password anywhere.
    const [bad] = await bridge.testConnection({ remote: 'web', template: `${http.baseUrl}/\${name}.git` });
    assert.equal(bad.ok, false);
    assert.equal(bad.url, `${http.baseUrl}/alpha.git`);
    assert.match(bad.error ?? '', /Authentication failed|401|could not read/i, bad.error);
    const shown = JSON.stringify([bad, logs, maskDeep(bad)]);
    assert.doesNotMatch(shown, new RegExp(SECRET));
    assert.ok(http.requests.some((r) => r.authorization === 'bad'), 'the password was sent to the host: a real ls-remote');
    await assert.rejects(bridge.testConnection({ remote: 'web', template: 'https://elsewhere/${name}.git' }), /has no url/);

    // Untrusted: refused before git runs (the http host sees no further request).
    const before = http.requests.length;
    bridge.configure({ trusted: false });
    await assert.rejects(bridge.status({}), /not trusted/);
    await assert.rejects(bridge.testConnection({ remote: 'web' }), /not trusted/);
    assert.equal(http.requests.length, before);
  } finally {
    await bridge.dispose();
    await http.close();
    s.cleanup();
  }
});
