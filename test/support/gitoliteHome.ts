// Scratch gitolite homes for the differential tests: one `gitolite setup` for a template home,
// a copy per fixture with the rc edited the way an admin would, the fixture's conf files laid
// into ~/.gitolite/conf, and gitolite's own commands run there (compile, the Mirroring probe).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { validate } from '../../server/src/formats';
import { diskWorkspace } from '../../server/src/service/workspace';
import { ROOT, scratch } from './helpers';

export interface FixtureRc { HOSTNAME?: string; GIT_CONFIG_KEYS?: string; enable?: string[] }

/** Edit gitolite's own default rc the way an admin would. */
export function editRc(rcText: string, rc: FixtureRc): string {
  let t = rcText;
  const must = (re: RegExp, by: string) => {
    assert.match(t, re, `default rc changed: ${re}`);
    t = t.replace(re, by);
  };
  if (rc.GIT_CONFIG_KEYS !== undefined) must(/GIT_CONFIG_KEYS\s*=>\s*'',/, `GIT_CONFIG_KEYS => '${rc.GIT_CONFIG_KEYS.replace(/\\/g, '\\\\')}',`);
  if (rc.HOSTNAME !== undefined) must(/# HOSTNAME\s*=>\s*"foo",/, `HOSTNAME => '${rc.HOSTNAME}',`);
  for (const e of rc.enable ?? []) must(new RegExp(`# '${e}',`), `'${e}',`);
  return t;
}

export function walkFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...walkFiles(p, base));
    else out.push(p.slice(base.length + 1));
  }
  return out;
}

export function runAsync(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { env, encoding: 'utf8' }, (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}

/** gitolite's messages: the first line of each FATAL/WARNING. */
export function gitoliteLines(stderr: string): string[] {
  // Perl appends " at FILE line N." to a plain die; that location is the install's, not the conf's.
  return stderr.split('\n').filter((l) => /^(FATAL|WARNING): /.test(l)).map((l) => l.replace(/ at \/\S+ line \d+\.$/, ''));
}

export const homeEnv = (home: string): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home, LANG: 'C' });

/** A template home made by `gitolite setup -a admin` in `dir`; returns its default rc text. */
export function templateHome(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const setup = spawnSync('gitolite', ['setup', '-a', 'admin'], { env: homeEnv(dir), encoding: 'utf8' });
  assert.equal(setup.status, 0, setup.stderr);
  return readFileSync(join(dir, '.gitolite.rc'), 'utf8');
}

/** A copy of the template at `home`, its rc edited and the fixture dir's files (but fixture.json) in ~/.gitolite/conf. */
export function fixtureHome(template: string, defaultRc: string, home: string, rc: FixtureRc, fixtureDir: string): string {
  cpSync(template, home, { recursive: true });
  writeFileSync(join(home, '.gitolite.rc'), editRc(defaultRc, rc));
  const confDir = join(home, '.gitolite', 'conf');
  for (const f of walkFiles(fixtureDir)) {
    if (f === 'fixture.json') continue;
    mkdirSync(dirname(join(confDir, f)), { recursive: true });
    cpSync(join(fixtureDir, f), join(confDir, f));
  }
  return confDir;
}

/** What gitolite's Mirroring trigger makes of each repo (test/infra/MirroringProbe.pl), one tab-separated line each. */
export async function mirroringProbe(home: string, repos: string[]): Promise<string[]> {
  const r = await runAsync('perl', [join(ROOT, 'test', 'infra', 'MirroringProbe.pl'), ...repos], homeEnv(home));
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

/** gitolite3's default rc (Rc.pm's __DATA__), edited the way an admin would. */
export const DEFAULT_RC = (() => {
  const pm = readFileSync('/usr/share/gitolite3/lib/Gitolite/Rc.pm', 'utf8');
  return pm.slice(pm.indexOf('__DATA__') + 9);
})();

export function v3rc(opts: { hostname?: string; enable?: string[]; keys?: string } = {}): string {
  let t = DEFAULT_RC;
  if (opts.hostname) t = t.replace(/# HOSTNAME\s*=>\s*"foo",/, `HOSTNAME => '${opts.hostname}',`);
  for (const e of opts.enable ?? []) t = t.replace(new RegExp(`# '${e}',`), `'${e}',`);
  if (opts.keys !== undefined) t = t.replace(/GIT_CONFIG_KEYS\s*=>\s*'',/, `GIT_CONFIG_KEYS => '${opts.keys}',`);
  return t;
}

/** A gitolite home in a scratch dir: ~/.gitolite.rc and ~/.gitolite/conf/*. */
export function home(rc: string, files: Record<string, string>) {
  const s = scratch('gr-gl-mirror-');
  writeFileSync(join(s.dir, '.gitolite.rc'), rc);
  for (const [f, t] of Object.entries(files)) {
    const p = join(s.dir, '.gitolite', 'conf', f);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, t);
  }
  const check = (rel: string): Diagnostic[] => {
    const path = join(s.dir, rel);
    const doc = TextDocument.create('file://' + path, 'x', 1, readFileSync(path, 'utf8'));
    return validate(doc, { path, ws: diskWorkspace });
  };
  return { ...s, rcPath: join(s.dir, '.gitolite.rc'), confPath: join(s.dir, '.gitolite', 'conf', 'gitolite.conf'), check };
}

