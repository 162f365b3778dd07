// The editor and the engine must read a site the same way. For every Gerrit fixture (the
// sites under test/fixtures/replication, each config of test/fixtures/gitconfig-corpus as a
// replication.config, and a few sites written for the corners where two readers could part),
// the engine's remotes (loadSite) must equal the remotes the language service resolves: each
// file's resolveConfig groups (what the checks, hover and outline see), included files merged
// in JGit's order (resolveIncludes), fan-out files named by their file and skipped by the
// plugin's text rule, values read as evaluate() reads them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { scratch } from '../support/helpers';
import { validate } from '../../server/src/formats';
import { loadSite, type RemoteSettings } from '../../server/src/engine/site/loadSite';
import { diskWorkspace, type Workspace } from '../../server/src/service/workspace';
import { parseGitConfig, type Entry, type ParsedConfig } from '../../server/src/gitconfig/parser';
import { resolveConfig } from '../../server/src/replication/resolved';
import { hasIncludeSections, resolveIncludes } from '../../server/src/replication/configIncludes';
import { entryOnHeaderLine, jgitRawOf } from '../../server/src/gitconfig/jgitRead';
import { fanoutFiles, siteLayout } from '../../server/src/replication/siteLayout';
import { evaluate } from '../../server/src/replication/evaluate';
import { scanFanoutText } from '../../server/src/replication/fanoutRule';
import { findKey, findSection, REPLICATION_CATALOG, type FileKind } from '../../server/src/catalog/keyCatalog';
import { applyInsteadOf } from '../../server/src/replication/uri';
import { withoutUrlPassword } from '../../server/src/engine/transport/invocation';

const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

interface Read {
  entry: Entry;
  doc: ParsedConfig;
  /** Read from the file itself, not from one it includes. */
  own: boolean;
}

/** The entries the language service reads from one file (kind and fan-out name from its path). */
function readEntries(path: string, kind: FileKind, ws: Workspace): Array<Read & { remote?: string; section?: string }> {
  const text = ws.read(path)!;
  const parsed = parseGitConfig(text);
  const site = siteLayout(path, kind);
  // Every entry in JGit's order, included files spliced in where their include line is
  // (fan-out files: never followed).
  const merged: Read[] = kind !== 'fanout' && hasIncludeSections(parsed) ? resolveIncludes(path, parsed, ws).entries.map((m) => ({ entry: m.entry, doc: m.doc, own: m.file === path })) : parsed.entries.map((entry) => ({ entry, doc: parsed, own: true }));
  // Which sections are read, and as which remote: each file's own resolved view.
  const owner = new Map<object, { remote?: string; section: string }>();
  const views = new Map<ParsedConfig, true>();
  for (const m of merged) {
    if (views.has(m.doc)) continue;
    views.set(m.doc, true);
    const r = resolveConfig(m.doc, kind, site.fanoutRemote);
    for (const g of r.groups) for (const s of g.sections) owner.set(s, { section: g.spec.name, remote: g.spec.name === 'remote' ? g.name : undefined });
  }
  const out: Array<Read & { remote?: string; section?: string }> = [];
  for (const m of merged) {
    const o = m.entry.section ? owner.get(m.entry.section) : undefined;
    if (!o || entryOnHeaderLine(m.doc.text, m.entry)) continue;
    out.push({ ...m, ...o });
  }
  return out;
}

type View = Record<string, unknown>;

const REMOTE_SPEC = findSection(REPLICATION_CATALOG, 'remote', 'replication')!;
const INTS = ['threads', 'timeout', 'replicationDelay', 'rescheduleDelay', 'replicationRetry', 'drainQueueAttempts'] as const;
const BOOLS = ['mirror', 'createMissingRepositories', 'replicatePermissions', 'replicateProjectDeletions', 'replicateNoteDbMetaRefs'] as const;

/** A scalar as the language service reads it: evaluate()'s value in effect, or the catalog default. */
function scalar(key: string, raw: string | null | undefined): string {
  const ks = findKey(REMOTE_SPEC, key)!;
  if (raw === undefined) return String(ks.default);
  const ev = evaluate(REMOTE_SPEC, ks, raw, null);
  if (ev.effective === undefined) return `invalid: ${ev.findings.map((f) => f.code).join(',')}`;
  // "15 seconds", "true (the default: …)", "1,024": the number or word in effect.
  return ev.effective.replace(/ .*/, '').replace(/,/g, '');
}

/** The language service's remotes of a site (etc/ under `dir`). */
function serviceRemotes(dir: string, ws: Workspace): View[] {
  const etc = join(dir, 'etc');
  const repl = join(etc, 'replication.config');
  const layout = siteLayout(repl, 'replication');
  const fanout = ws.stat(layout.fanoutDir)?.isDirectory === true;
  const reads: Array<Read & { remote?: string; section?: string }> = [];
  if (ws.read(repl) !== undefined) {
    for (const r of readEntries(repl, 'replication', ws)) {
      // With etc/replication/, the plugin unsets replication.config's own remote sections.
      if (fanout && r.remote !== undefined && r.own) continue;
      reads.push(r);
    }
  }
  if (fanout) {
    for (const p of fanoutFiles(layout.fanoutDir, ws)) {
      // The plugin's text rule, as checkFanout reports it.
      if (scanFanoutText(ws.read(p) ?? '').skipped) continue;
      reads.push(...readEntries(p, 'fanout', ws));
    }
  }
  const creds = new Map<string, { username?: string; password?: string }>();
  if (ws.read(layout.secureConfig) !== undefined) {
    for (const r of readEntries(layout.secureConfig, 'secure', ws)) {
      if (r.remote === undefined) continue;
      const c = creds.get(r.remote) ?? {};
      if (r.entry.key === 'username') c.username = r.entry.value ?? '';
      if (r.entry.key === 'password') c.password = r.entry.value ?? '';
      creds.set(r.remote, c);
    }
  }
  const insteadOf = reads.filter((r) => r.section === 'url' && r.entry.key === 'insteadof' && r.entry.value).map((r) => ({ base: r.entry.section!.subsection!, prefix: r.entry.value! }));
  const byName = new Map<string, Read[]>();
  for (const r of reads) if (r.remote !== undefined) (byName.get(r.remote) ?? byName.set(r.remote, []).get(r.remote)!).push(r);
  const out: View[] = [];
  for (const [name, rs] of byName) {
    const all = (k: string) => rs.filter((r) => r.entry.key === k.toLowerCase());
    const values = (k: string) => all(k).map((r) => jgitRawOf(r.doc, r.entry) ?? '');
    if (all('fetch').length) continue; // not a push target
    const split = values('url').map((u) => withoutUrlPassword(applyInsteadOf(u, insteadOf)));
    const urls = split.map((x) => x.url);
    if (urls.length === 0) continue;
    // No credentials in secure.config: the transport sends those of the first url that has a password.
    const fromUrl = split.find((x) => x.password !== undefined);
    const v: View = {
      name,
      urls,
      adminUrls: values('adminUrl').map(withoutPassword),
      push: values('push'),
      projects: values('projects'),
      excludeProjects: values('excludeProjects'),
      authGroup: values('authGroup'),
      username: creds.get(name)?.username ?? fromUrl?.username ?? null,
    };
    for (const k of [...INTS, ...BOOLS]) {
      const last = all(k).at(-1);
      v[k] = scalar(k, last ? jgitRawOf(last.doc, last.entry) : undefined);
    }
    out.push(v);
  }
  return out.sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : (a.name as string) > (b.name as string) ? 1 : 0));
}

function withoutPassword(u: string): string {
  return withoutUrlPassword(u).url;
}

function engineRemotes(dir: string, ws: Workspace): View[] {
  return loadSite(dir, ws).remotes.map((r: RemoteSettings) => {
    const v: View = {
      name: r.name,
      urls: r.urls,
      adminUrls: r.adminUrls,
      push: r.push,
      projects: r.projects,
      excludeProjects: r.excludeProjects,
      authGroup: r.authGroup,
      username: r.username ?? null,
    };
    for (const k of [...INTS, ...BOOLS]) v[k] = String(r[k]);
    return v;
  });
}

function sites(work: string): string[] {
  const out: string[] = [];
  const repl = join(FIXTURES, 'replication');
  for (const name of readdirSync(repl).sort()) {
    const to = join(work, 'fixture-' + name);
    cpSync(join(repl, name), to, { recursive: true });
    out.push(to);
  }
  const corpus = join(FIXTURES, 'gitconfig-corpus');
  for (const name of readdirSync(corpus).sort()) {
    if (!name.endsWith('.config')) continue;
    const to = join(work, 'corpus-' + basename(name, '.config'), 'etc');
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, 'replication.config'), readFileSync(join(corpus, name)));
    out.push(dirname(to));
  }
  for (const [name, files] of Object.entries(CORNERS)) {
    for (const [p, t] of Object.entries(files)) {
      mkdirSync(dirname(join(work, name, p)), { recursive: true });
      writeFileSync(join(work, name, p), t, { mode: 0o600 });
    }
    out.push(join(work, name));
  }
  return out;
}

/** Sites written for the places where two readers of the same files could part. */
const CORNERS: Record<string, Record<string, string>> = {
  // JGit reads `[remote.x]` as a section named "remote.x": not a remote, in any file.
  'legacy-in-fanout': {
    'etc/replication.config': '[gerrit]\n  autoReload = false\n',
    'etc/replication/a.config': '[remote]\n  url = /m/a/${name}.git\n[remote.x]\n  url = /m/x/${name}.git\n  threads = 4\n',
  },
  'legacy-in-secure': {
    'etc/replication.config': '[remote "a"]\n  url = /m/a/${name}.git\n',
    'etc/secure.config': '[remote.a]\n  username = legacy\n',
  },
  'header-line-keys': {
    'etc/replication.config': '[remote "a"] threads = 9\n  url = /m/a/${name}.git\n  threads = 2\n[remote "b"]\n  url = /m/b/${name}.git\n',
  },
  'merged-blocks-and-overrides': {
    'etc/replication.config': '[remote "a"]\n  url = /m/a1/${name}.git\n  threads = 2\n  mirror = yes\n[gerrit]\n  defaultForceUpdate = true\n[remote "a"]\n  url = /m/a2/${name}.git\n  threads = 3\n  timeout = 1k\n  push = +refs/heads/*:refs/heads/*\n',
  },
  'includes-and-fanout': {
    'etc/replication.config': '[remote "dropped"]\n  url = /m/d/${name}.git\n[include]\n  path = kept.inc\n',
    'etc/kept.inc': '[remote "kept"]\n  url = /m/k/${name}.git\n',
    'etc/replication/f.config': '[remote]\n  url = /m/f/${name}.git\n  projects = alpha\n',
    'etc/replication/two.config': '[remote]\n  url = /m/t/${name}.git\n[remote]\n  threads = 2\n',
    'etc/replication/sub.config': '[remote "sub"]\n  url = /m/s/${name}.git\n',
    'etc/secure.config': '[remote "f"]\n  username = bot\n',
  },
  'insteadof-and-passwords': {
    'etc/replication.config': '[url "ssh://git@mirror.example/"]\n  insteadOf = m:\n[remote "a"]\n  url = m:${name}.git\n  url = https://u:secret@h.example/${name}.git\n  adminUrl = ssh://u:secret@h.example/${name}.git\n',
  },
  'fanout-globals': {
    'etc/replication.config': '[remote "gone"]\n[gerrit]\n  defaultForceUpdate = false\n',
    'etc/replication/a.config': '# [remote] in a comment counts too\n[remote]\n  url = x:${name}.git\n',
    'etc/replication/b.config': '[url "/m/b/"]\n  insteadOf = y:\n[remote]\n  url = y:${name}.git\n  mirror = on\n  timeout = 2\n',
  },
  'broken-header': {
    'etc/replication.config': '[remote "a"]\n  url = /m/a/${name}.git\n[remote "b\n  url = /m/b/${name}.git\n',
  },
};

test('the engine and the language service resolve the same remotes from every fixture', () => {
  const s = scratch('gr-model-');
  try {
    const list = sites(s.dir);
    assert.ok(list.length >= 30, `only ${list.length} sites`);
    const problems: string[] = [];
    for (const dir of list) {
      let engine: View[];
      try {
        engine = engineRemotes(dir, diskWorkspace);
      } catch (e) {
        problems.push(`${basename(dir)}: the engine throws ${(e as Error).message}`);
        continue;
      }
      const service = serviceRemotes(dir, diskWorkspace);
      // A documented difference: where the editor reports a value as invalid (JGit throws when
      // the plugin reads it), the engine refuses the whole site and keeps the default.
      const invalid = service.some((r) => Object.values(r).some((v) => typeof v === 'string' && v.startsWith('invalid: ')));
      if (invalid) {
        if (!loadSite(dir, diskWorkspace).refused) problems.push(`${basename(dir)}: an invalid value, but the engine does not refuse the site`);
        for (const r of service) for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && v.startsWith('invalid: ')) delete r[k];
        for (const r of engine) for (const k of Object.keys(r)) if (!service.some((x) => x.name === r.name && k in x)) delete r[k];
      }
      try {
        assert.deepEqual(engine, service);
      } catch {
        problems.push(`${basename(dir)}:\n  engine  ${JSON.stringify(engine)}\n  service ${JSON.stringify(service)}`);
      }
    }
    assert.deepEqual(problems, []);
  } finally {
    s.cleanup();
  }
});

test('the remotes the editor says etc/replication/ makes the plugin ignore are the ones the engine warns about', () => {
  const s = scratch('gr-model-');
  try {
    const etc = join(s.dir, 'etc');
    mkdirSync(join(etc, 'replication'), { recursive: true });
    // An empty block is a remote section too: JGit's getSubsections lists it.
    const text = '[remote "gone"]\n[remote "old"]\n  url = /m/o/${name}.git\n[remote.legacy]\n  url = /m/l/${name}.git\n';
    writeFileSync(join(etc, 'replication.config'), text);
    writeFileSync(join(etc, 'replication', 'a.config'), '[remote]\n  url = /m/a/${name}.git\n');
    const path = join(etc, 'replication.config');
    const editor = validate(TextDocument.create('file://' + path, 'gerrit-replication', 1, text), { path, ws: diskWorkspace }).filter((d) => d.code === 'fanout-remote-ignored');
    const quoted = [...new Set(editor.map((d) => /Ignoring: ([^"]*)"/.exec(d.message)![1]))];
    assert.deepEqual(quoted, ['gone,old']);
    const warned = () => loadSite(s.dir, diskWorkspace).warnings.filter((w) => w.includes('Ignoring:')).map((w) => w.replace(/.*Ignoring: /, ''));
    assert.deepEqual(warned(), quoted);
    // Included remotes are named where JGit reads them: at their include line.
    writeFileSync(join(etc, 'replication.config'), '[remote "a"]\n[include]\n  path = more.inc\n[remote "z"]\n  url = /m/z/${name}.git\n');
    writeFileSync(join(etc, 'more.inc'), '[remote "m"]\n[remote "b"]\n  url = /m/b/${name}.git\n[remote "a"]\n  url = /m/a/${name}.git\n');
    assert.deepEqual(warned(), ['a,m,b,z']);
    writeFileSync(join(etc, 'more.inc'), '[remote "m"]\n');
    assert.deepEqual(warned(), ['a,m,z']);
  } finally {
    s.cleanup();
  }
});
