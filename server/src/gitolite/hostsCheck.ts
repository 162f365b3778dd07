// Checks across gitolite hosts (`git-replication check --hosts H1=DIR1 H2=DIR2 …`): a mirror is
// only right when every host agrees, and each host's compile accepts its own half of a broken
// set-up. Each DIR is a gitolite home (~/.gitolite.rc, ~/.gitolite/conf, ~/.gitolite/keydir,
// ~/.ssh) or a gitolite-admin clone (conf/, keydir/); H is the name the other hosts use for it
// (their ssh alias, its `server-H.pub`, the host names in the confs). Every finding names both
// hosts' places: the main one where the fix belongs, the other as related information. The
// messages quote what gitolite on the other side answers (Mirroring.pm input/pre_git).
import { join } from 'node:path';
import type { Range } from 'vscode-languageserver';
import type { Workspace } from '../service/workspace';
import type { ConfigEntry } from './compile/compileChecks';
import type { SiteAnalysis } from './confSite';
import { GlDiag, GlRelated, rcRange, tokRange } from './diag';
import { siteAnalysisFor } from './mirroringSite';
import type { MirrorRepo } from './mirrorModel';

export interface HostDir { name: string; dir: string }

/** One host as the checks see it. */
interface Host {
  name: string;
  dir: string;
  a: SiteAnalysis;
  /** A gitolite home (has .gitolite.rc beside .gitolite/), else a gitolite-admin clone. */
  home: boolean;
  keydir: string;
  /** keydir/**\/*.pub by user name (file name without .pub): path and key material. */
  keys: Map<string, { file: string; key: string }>;
  /** The host's own public key (a home's ~/.ssh/id_*.pub). */
  ownKey?: { file: string; key: string };
  /** `Host` aliases of a home's ~/.ssh/config, with their line. */
  aliases?: Map<string, { file: string; line: number }>;
  /** Users sshd lets in through gitolite-shell (a home's ~/.ssh/authorized_keys). */
  authorized?: Set<string>;
  repos: Map<string, MirrorRepo>;
}

const TOP: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: 0 } });
const entryRange = (e: ConfigEntry): Range => e.cl.tokRange(0, e.cl.n - 1);

/** The key material of a .pub line (type and base64), without its comment. */
function keyOf(text: string | undefined): string | undefined {
  const m = /^\s*(?:\S+\s+)?((?:ssh|ecdsa|sk)-[\w@.-]+\s+[A-Za-z0-9+/=]+)/m.exec(text ?? '');
  return m?.[1].replace(/\s+/, ' ');
}

function listKeys(ws: Workspace, dir: string, out: Map<string, { file: string; key: string }>, depth = 0): void {
  for (const n of (ws.list(dir) ?? []).sort()) {
    const p = join(dir, n);
    const st = ws.stat(p);
    if (st?.isDirectory && depth < 4) listKeys(ws, p, out, depth + 1);
    else if (st?.isFile && n.endsWith('.pub')) {
      // gitolite's multi-key form: alice@laptop.pub is user alice; alice@example.com.pub is that user.
      const base = n.slice(0, -4);
      const user = base.replace(/@[^@.]+$/, '');
      const key = keyOf(ws.read(p));
      if (key && !out.has(user)) out.set(user, { file: p, key });
    }
  }
}

function sshAliases(ws: Workspace, file: string): Map<string, { file: string; line: number }> | undefined {
  const text = ws.read(file);
  if (text === undefined) return undefined;
  const out = new Map<string, { file: string; line: number }>();
  text.split('\n').forEach((l, i) => {
    const m = /^\s*Host\s+(.*)$/i.exec(l);
    if (m) for (const h of m[1].split(/\s+/)) if (h && !/[*?!]/.test(h) && !out.has(h)) out.set(h, { file, line: i });
  });
  return out;
}

function readHost(h: HostDir, ws: Workspace): Host | string {
  const a = siteAnalysisFor(h.dir, ws);
  if (!a) return `${h.dir}: no gitolite.conf found (looked for .gitolite/conf/gitolite.conf and conf/gitolite.conf)`;
  const home = !!ws.stat(join(h.dir, '.gitolite.rc'))?.isFile && !!ws.stat(join(h.dir, '.gitolite'))?.isDirectory;
  const keydir = home ? join(h.dir, '.gitolite', 'keydir') : join(h.dir, 'keydir');
  const keys = new Map<string, { file: string; key: string }>();
  listKeys(ws, keydir, keys);
  const host: Host = { name: h.name, dir: h.dir, a, home, keydir, keys, repos: new Map() };
  for (const r of a.mirror.repos) host.repos.set(r.name, r);
  if (home) {
    const ssh = join(h.dir, '.ssh');
    for (const n of ['id_ed25519.pub', 'id_ecdsa.pub', 'id_rsa.pub']) {
      const key = keyOf(ws.read(join(ssh, n)));
      if (key) { host.ownKey = { file: join(ssh, n), key }; break; }
    }
    host.aliases = sshAliases(ws, join(ssh, 'config'));
    const ak = ws.read(join(ssh, 'authorized_keys'));
    if (ak !== undefined) host.authorized = new Set([...ak.matchAll(/gitolite-shell\s+([^\s",]+)/g)].map((m) => m[1]));
  }
  return host;
}

/** Where a host's conf says something about repo R: its master or copies line, else its repo line. */
function repoPlace(h: Host, repo: string, which: 'master' | 'copies' = 'copies', host?: string): GlRelated {
  const r = h.repos.get(repo);
  const pick = (es: ConfigEntry[]) => (host ? es.find((e) => e.value.split(/\s+/).includes(host)) : undefined) ?? es[es.length - 1];
  const e = r && (which === 'master' ? r.sources.master ?? pick(r.sources.copies) : pick(r.sources.copies) ?? r.sources.master);
  if (e) return { file: e.file, range: entryRange(e), message: `${h.name}: ${e.cl.text}` };
  const item = h.a.compiled.repoItems.find((x) => x.name === repo);
  if (item) return { file: item.file, range: tokRange(item.tok), message: `${h.name}: repo ${repo} has no mirror options here` };
  return { file: h.a.confPath, range: TOP, message: `${h.name}: no repo ${repo} here` };
}

function rcPlace(h: Host): GlRelated {
  const rc = h.a.rc;
  const file = h.a.rcPath ?? h.a.confPath;
  const pos = rc.hostname?.pos ?? rc.hostnameComment ?? rc.anchor;
  return { file, range: pos && h.a.rcPath ? rcRange(pos) : TOP, message: `${h.name}: HOSTNAME ${rc.hostname ? `'${rc.hostname.value}'` : 'not set'}` };
}

const diag = (at: GlRelated, code: GlDiag['code'], message: string, related: GlRelated[], data?: Record<string, unknown>): GlDiag =>
  ({ file: at.file, range: at.range, code, message, related, ...(data ? { data } : {}) });

/** What repo R is on host h by h's own conf: undefined when h has no mirror setting for it (local). */
function roleOn(h: Host, repo: string): { master?: string; copies: Set<string>; trusted: Set<string> } | undefined {
  const r = h.repos.get(repo);
  if (!r || (!r.master && !r.copies.length)) return undefined;
  const copies = new Set(r.copies.map((c) => c.host));
  return { master: r.master, copies, trusted: new Set(r.redirectOK === 'all' ? copies : r.redirectOK) };
}

/** What gitolite on copy C answers a push of R from M (Mirroring.pm pre_git, case 2), or undefined when it takes it. */
function copyRefusal(c: Host, repo: string, m: string): string | undefined {
  const role = roleOn(c, repo);
  if (!role) return `FATAL: ${c.name}: '${repo}' is local`;
  if (role.master === c.name) return `FATAL: ${c.name}: '${repo}' is native`;
  if (!role.copies.has(c.name)) return `FATAL: ${c.name}: '${repo}' is mirrored but not here`;
  if (role.master !== m) return `FATAL: ${c.name}: '${m}' is not the master for '${repo}'`;
  return undefined;
}

/** Cross-host findings for these hosts; `errors` lists hosts that could not be read. */
export function checkHosts(dirs: HostDir[], ws: Workspace): { diags: GlDiag[]; errors: string[] } {
  const hosts: Host[] = [];
  const errors: string[] = [];
  for (const d of dirs) {
    const h = readHost(d, ws);
    if (typeof h === 'string') errors.push(h);
    else hosts.push(h);
  }
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const diags: GlDiag[] = [];
  const repoNames = [...new Set(hosts.flatMap((h) => [...h.repos.keys()]))].sort();

  // HOSTNAME: the name the others use for a host, which its rc must say.
  for (const h of hosts) {
    if (!h.a.rcPath || !h.a.rc.found) continue;
    const hn = h.a.rc.hostname?.value;
    if (hn === h.name) continue;
    if (h.a.rc.notes.some((n) => /HOSTNAME/.test(n.message))) continue; // unreadable: never guessed
    const named = hosts.filter((o) => o !== h).flatMap((o) => repoNames.filter((r) => {
      const role = roleOn(o, r);
      return role && (role.master === h.name || role.copies.has(h.name));
    }).map((r) => repoPlace(o, r, roleOn(o, r)!.master === h.name ? 'master' : 'copies', h.name))).slice(0, 3);
    const repo = repoNames.find((r) => roleOn(h, r)?.copies.has(h.name) || roleOn(h, r)?.master === h.name);
    diags.push(diag(rcPlace(h), 'gl-hosts-hostname-mismatch', hn === undefined
      ? `HOSTNAME is not set on '${h.name}', the name the other hosts use for it: its Mirroring does nothing — it pushes to no copy, and as a copy it takes pushes from anyone; set HOSTNAME => '${h.name}'`
      : `HOSTNAME is '${hn}' on the host the others call '${h.name}': gitolite there finds itself in no master or copies list, so it refuses its mirrored repos ("FATAL: ${hn}: '${repo ?? '<repo>'}' is mirrored but not here") and every mirror push to it; set HOSTNAME => '${h.name}' (or use '${hn}' everywhere)`,
      named, { hostname: hn, name: h.name }));
  }

  // Keys: a host's own key installed on a peer under another name.
  for (const h of hosts) {
    if (!h.ownKey) continue;
    for (const p of hosts) {
      if (p === h) continue;
      for (const [user, k] of p.keys) {
        if (k.key !== h.ownKey.key || user === `server-${h.name}`) continue;
        const at: GlRelated = { file: k.file, range: TOP, message: `${p.name}: ${user}.pub` };
        // A repo that h pushes to p, for the message gitolite on p answers.
        const repo = repoNames.find((r) => roleOn(h, r)?.master === h.name && roleOn(h, r)?.copies.has(p.name)) ?? '<repo>';
        diags.push(diag(at, 'gl-hosts-key-name', user.startsWith('server-')
          ? `'${h.name}''s key is installed on '${p.name}' as ${user}.pub: gitolite there takes its pushes as coming from host '${user.slice(7)}' ("FATAL: ${p.name}: '${user.slice(7)}' is not the master for '${repo}'"); rename it to server-${h.name}.pub and run 'gitolite setup' on '${p.name}'`
          : `'${h.name}''s key is installed on '${p.name}' as the user '${user}', not as a peer: gitolite there treats its mirror pushes as a user's ("FATAL: W any ${repo} ${user} DENIED by fallthru"); name it server-${h.name}.pub and run 'gitolite setup' on '${p.name}'`,
        [{ file: h.ownKey.file, range: TOP, message: `${h.name}'s own public key` }]));
      }
    }
  }

  const missingKey = new Set<string>();
  const missingAlias = new Set<string>();
  for (const repo of repoNames) {
    for (const m of hosts) {
      const role = roleOn(m, repo);
      // M pushes R to its copies when its own conf says M is the master.
      if (!role || role.master !== m.name) continue;
      for (const cn of [...role.copies].sort()) {
        if (cn === m.name) continue;
        const c = byName.get(cn);
        const from = repoPlace(m, repo, 'copies', cn);
        // The copy must know the master's key, under the master's name, compiled into authorized_keys.
        if (c && !missingKey.has(`${cn}\0${m.name}`)) {
          const k = c.keys.get(`server-${m.name}`);
          const why = !k ? `has no keydir/server-${m.name}.pub` : c.authorized && !c.authorized.has(`server-${m.name}`) ? `has keydir/server-${m.name}.pub, but its ~/.ssh/authorized_keys does not (run 'gitolite setup' there)` : undefined;
          if (why) {
            missingKey.add(`${cn}\0${m.name}`);
            diags.push(diag(k ? { file: k.file, range: TOP, message: '' } : repoPlace(c, repo, 'master'), 'gl-hosts-key-missing',
              `'${cn}' ${why}, so it refuses every mirror push from '${m.name}' (ssh: "Permission denied (publickey)"); '${m.name}' pushes '${repo}' to it: add '${m.name}''s public key as keydir/server-${m.name}.pub on '${cn}'`,
              [from], { host: cn, peer: m.name }));
          }
        }
        // The master reaches the copy through an ssh alias named after it.
        if (m.aliases && !m.aliases.has(cn) && !missingAlias.has(`${m.name}\0${cn}`)) {
          missingAlias.add(`${m.name}\0${cn}`);
          diags.push(diag(from, 'gl-hosts-alias-missing',
            `'${m.name}' pushes '${repo}' to '${cn}', but its ~/.ssh/config has no 'Host ${cn}': gitolite runs 'ssh ${cn} …', which then goes to whatever DNS says '${cn}' is (usually "Could not resolve hostname"); add a Host ${cn} alias there`,
            [{ file: join(m.dir, '.ssh', 'config'), range: TOP, message: `${m.name}: ~/.ssh/config` }], { host: m.name, peer: cn }));
        }
        if (!c) continue;
        const refusal = copyRefusal(c, repo, m.name);
        if (refusal)
          diags.push(diag(from, 'gl-hosts-push-refused',
            `'${m.name}' is the master of '${repo}' here and pushes it to '${cn}', but '${cn}''s conf disagrees, so gitolite there refuses the push ("${refusal}")`,
            [repoPlace(c, repo, 'master')], { repo, master: m.name, copy: cn }));
        else {
          const cr = roleOn(c, repo)!;
          const a = [...role.copies].sort().join(' '), b = [...cr.copies].sort().join(' ');
          if (a !== b)
            diags.push(diag(repoPlace(c, repo, 'copies'), 'gl-hosts-repo-differs',
              `'${repo}' has copies '${b}' on '${cn}' but '${a}' on its master '${m.name}': the push works, but the two confs disagree (a redirected push or a change of master would follow the other list); make them the same`,
              [from], { repo }));
        }
      }
    }
    // A copy whose own conf names a master that does not push to it.
    for (const c of hosts) {
      const cr = roleOn(c, repo);
      if (!cr || !cr.copies.has(c.name) || cr.master === c.name || !cr.master) continue;
      const m = byName.get(cr.master);
      if (!m) continue;
      const mr = roleOn(m, repo);
      const pushes = mr && mr.master === m.name && mr.copies.has(c.name);
      if (!pushes)
        diags.push(diag(repoPlace(c, repo, 'copies', c.name), 'gl-hosts-not-pushed',
          `'${c.name}' is a copy of '${repo}' with master '${m.name}', but '${m.name}''s conf ${!mr ? `has no mirror options for '${repo}' (it is local there)` : mr.master !== m.name ? `names '${mr.master ?? 'no master'}' as its master` : `does not list '${c.name}' among its copies`}: '${m.name}' never pushes it here, so this copy goes stale and refuses user pushes`,
          [repoPlace(m, repo, 'copies')], { repo, master: m.name, copy: c.name }));
      // Redirected pushes: the copy redirects when its own redirectOK trusts it; the master must trust it too.
      if (cr.trusted.has(c.name)) {
        const refusal = !mr ? `FATAL: ${m.name}: '${repo}' is local`
          : mr.master !== m.name ? `FATAL: ${m.name}: '${repo}' is not native`
          : !mr.copies.has(c.name) ? `FATAL: ${m.name}: '${c.name}' is not a valid copy for '${repo}'`
          : !mr.trusted.has(c.name) ? `FATAL: ${m.name}: redirection not allowed from '${c.name}'` : undefined;
        if (refusal)
          diags.push(diag(repoPlace(c, repo, 'copies', c.name), 'gl-hosts-redirect-refused',
            `redirectOK for '${repo}' on '${c.name}' sends users' pushes to '${m.name}', but '${m.name}''s conf does not trust '${c.name}', so every such push fails ("${refusal}"); add '${c.name}' to mirror.redirectOK on '${m.name}' (or drop it here)`,
            [repoPlace(m, repo, 'copies')], { repo, master: m.name, copy: c.name }));
      }
    }
    // Two hosts that name different masters, where neither pushes (the cases above cover the rest).
    const masters = hosts.map((h) => ({ h, role: roleOn(h, repo) })).filter((x) => x.role?.master);
    for (let i = 1; i < masters.length; i++) {
      const x = masters[0], y = masters[i];
      if (x.role!.master === y.role!.master) continue;
      const involved = [x.role!.master, y.role!.master].some((n) => n === x.h.name || n === y.h.name);
      if (involved) continue;
      diags.push(diag(repoPlace(y.h, repo, 'master'), 'gl-hosts-repo-differs',
        `'${repo}' has master '${y.role!.master}' on '${y.h.name}' but '${x.role!.master}' on '${x.h.name}': gitolite accepts mirror pushes only from the master each host names; make them the same`,
        [repoPlace(x.h, repo, 'master')], { repo }));
    }
  }
  return { diags, errors };
}
