// What `gitolite compile` checks, line by line, in gitolite's order (Conf/Sugar.pm, Conf.pm
// parse, Conf/Store.pm). Every FATAL becomes an error and every WARNING a warning with
// gitolite's message. gitolite stops at the first FATAL; we go on, so one run shows them all.
// The same pass records groups, repo lines and config/option entries for the model and features.
import type { ConfLine, Tok } from './confParser';
import { joinContinuations } from './confParser';
import { GlDiag, tokRange, toksRange } from './diag';
import { toksIn, XLine } from './includes';
import { REPONAME_PATT, REPOPATT_PATT, USERNAME_PATT, anchored } from './patterns';
import type { GitoliteRc } from './rcReader';

export interface ConfigEntry {
  seq: number;
  key: string;
  value: string;
  /** The repo list in force (names, @groups, @all, patterns), as gitolite stores it. */
  repos: string[];
  file: string;
  cl: ConfLine;
  keyToks: Tok[];
  valueToks: Tok[];
  via: 'config' | 'option' | 'desc' | 'owner' | 'category';
}

export interface GroupDef { name: string; file: string; tok: Tok; members: Tok[]; cl: ConfLine }
export interface GroupUse { name: string; file: string; tok: Tok; where: 'repo' | 'user' | 'ref' | 'member' }
export interface RepoItem { name: string; file: string; tok: Tok; cl: ConfLine }
export interface RuleEntry { perm: string; file: string; cl: ConfLine; permTok: Tok; repos: string[] }

export interface CompileResult {
  diags: GlDiag[];
  /** Group → members (expanded), in gitolite's final state. */
  groups: Map<string, Map<string, string>>;
  groupDefs: GroupDef[];
  groupUses: GroupUse[];
  repoItems: RepoItem[];
  rules: RuleEntry[];
  configs: ConfigEntry[];
  /** Lines gitolite parses (after skipped blocks and continuation), for features. */
  lines: XLine[];
  skipped: XLine[];
}

const RULE_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?) (.* )?= (.+)/d;
const GROUP_RE = /^(@\S+) = (.*)/d;
const CONFIG_RE = /^config (.+) = ?(.*)/d;
const OPTION_RE = /^option (\S+) = (\S.*)/d;
const GITWEB_RE = /^(desc|owner|category) = (\S.*)/d;

export interface CompileOptions {
  rc: GitoliteRc;
  continuation: boolean;
  /** The root conf, where whole-conf findings go. */
  rootFile?: string;
}

export function compile(seqIn: XLine[], opts: CompileOptions): CompileResult {
  const { rc } = opts;
  const res: CompileResult = { diags: [], groups: new Map(), groupDefs: [], groupUses: [], repoItems: [], rules: [], configs: [], lines: [], skipped: [] };
  const groups = res.groups;
  const validKeys: RegExp[] = [];
  const v2 = rc.dialect === 'v2';
  for (const k of (rc.gitConfigKeys?.value ?? '').split(/\s+/).filter(Boolean)) {
    const re = anchored(k, v2 ? '' : 'i');
    if (re) validKeys.push(re);
  }
  validKeys.push(/^gitolite-options\..*$/i);
  const ignored = new Map<string, { names: Set<string>; at: GlDiag['range']; file: string }>();
  let subconf = 'master';
  let repolist: string[] = [];
  let seq = 0;

  const seq1 = opts.continuation ? joinContinuations(seqIn) : seqIn;
  const diag = (file: string, range: GlDiag['range'], code: string, message: string, data?: Record<string, unknown>) =>
    res.diags.push(data ? { file, range, code, message, data } : { file, range, code, message });

  // `undefined group` for @x (not @all) in a group RHS or a ref list; returns the expansion.
  const expand = (file: string, items: Array<{ text: string; tok: Tok }>, where: GroupUse['where']) => {
    const out: Array<{ text: string; tok: Tok }> = [];
    for (const it of items) {
      if (it.text.startsWith('@') && it.text !== '@all') {
        res.groupUses.push({ name: it.text, file, tok: it.tok, where });
        const g = groups.get(it.text);
        if (!g) { diag(file, tokRange(it.tok), 'gl-undefined-group', `undefined group '${it.text}'`); continue; }
        for (const m of [...g.keys()].sort()) out.push({ text: m, tok: it.tok });
      } else out.push(it);
    }
    return out;
  };

  const disallowed = (sub: string, repo: string): boolean => {
    if (sub === 'master' || sub === repo || '@' + sub === repo) return false;
    const g = groups.get('@' + sub);
    if (g) for (const [m, origin] of [...g.entries()].sort()) if (origin === 'master' && anchored(m)?.test(repo)) return false;
    return true;
  };

  let storedRules = 0;
  let skipping = false;
  for (const x of seq1) {
    const { cl, file } = x;
    const text = cl.text;
    if (skipping) {
      res.skipped.push(x);
      if (/^= *end$/.test(text)) skipping = false;
      continue;
    }
    if (/^= *begin (testconf|template-data)$/.test(text)) { skipping = true; res.skipped.push(x); continue; }
    if (x.marker !== undefined) {
      subconf = x.marker;
      if (!/^[-\w.]+$/.test(subconf)) diag(file, toksRange(cl.toks[0], cl.toks[cl.toks.length - 1]), 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    res.lines.push(x);
    const whole = toksRange(cl.toks[0], cl.toks[cl.toks.length - 1]);
    const first = cl.toks[0].text;

    // --- sugar: option → config gitolite-options.*, desc/owner/category → config gitweb.* ---
    let ptext = text;
    if (ptext.indexOf('option mirror.slaves') >= 0) ptext = ptext.replace('option mirror.slaves', 'option mirror.copies');
    let cfg: { key: string; keyToks: Tok[]; value: string; valueToks: Tok[]; via: ConfigEntry['via'] } | undefined;
    if (first === 'option') {
      const m = OPTION_RE.exec(ptext);
      if (m) cfg = { key: 'gitolite-options.' + m[1], keyToks: [cl.toks[1]], value: m[2], valueToks: toksIn(cl, m.indices![2][0], m.indices![2][1]), via: 'option' };
    } else if (first === 'desc' || first === 'owner' || first === 'category') {
      const m = GITWEB_RE.exec(ptext);
      if (m) cfg = { key: m[1] === 'desc' ? 'gitweb.description' : 'gitweb.' + m[1], keyToks: [cl.toks[0]], value: m[2], valueToks: toksIn(cl, m.indices![2][0], m.indices![2][1]), via: m[1] as ConfigEntry['via'] };
    } else if (first === 'config') {
      const m = CONFIG_RE.exec(ptext);
      if (m) {
        const vi = m.indices![2];
        cfg = { key: m[1], keyToks: toksIn(cl, m.indices![1][0], m.indices![1][1]), value: m[2], valueToks: vi[1] > vi[0] ? toksIn(cl, vi[0], vi[1]) : [cl.toks[cl.toks.length - 1]], via: 'config' };
      }
    }
    if (cfg) {
      const value = cfg.value.replace(/^['"](.*)["']$/, '$1');
      if (!validKeys.some((re) => re.test(cfg!.key))) {
        const kr = toksRange(cfg.keyToks[0], cfg.keyToks[cfg.keyToks.length - 1]);
        if (v2) {
          const mirror = cfg.key.startsWith('gitolite.mirror.');
          diag(file, kr, mirror ? 'gl-mirror-v2-key-not-allowed' : 'gl-config-not-allowed', mirror
            ? `git config '${cfg.key}' is not covered by $GL_GITCONFIG_KEYS ('${rc.gitConfigKeys?.value ?? ''}'): gitolite v2 refuses this config line, so the repo's mirror settings are never written and it stays local; add "gitolite.mirror.*" to $GL_GITCONFIG_KEYS`
            : `git config ${cfg.key} not allowed\ncheck GL_GITCONFIG_KEYS in the rc file for how to allow it`, { key: cfg.key });
        } else diag(file, kr, 'gl-config-not-allowed', `git config '${cfg.key}' not allowed\ncheck GIT_CONFIG_KEYS in the rc file`, { key: cfg.key });
      }
      const vr = toksRange(cfg.valueToks[0], cfg.valueToks[cfg.valueToks.length - 1]);
      if (rc.unsafePatt.test(value)) {
        // The first line is gitolite's; for mirror keys we add what it means for mirroring.
        const mirror = /^(gitolite-options|gitolite)\.mirror\./i.test(cfg.key);
        diag(file, vr, 'gl-bad-config-value', `bad config value '${value}'` + (mirror ? '\ngitolite stops compiling here: the compiled conf is not updated, so no mirror setting of this change takes effect' : ''));
      }
      let v = value;
      for (const [mk, mv] of Object.entries(rc.safeConfig)) v = v.split('%' + mk).join(mv);
      seq++;
      res.configs.push({ seq, key: cfg.key, value: v, repos: repolist, file, cl, keyToks: cfg.keyToks, valueToks: cfg.valueToks, via: cfg.via });
      continue;
    }

    // --- group definition ---
    if (first.startsWith('@')) {
      const m = GROUP_RE.exec(ptext);
      if (m) {
        const lhs = m[1];
        const lhsTok = cl.toks[0];
        const memberToks = cl.toks.slice(2);
        res.groupDefs.push({ name: lhs, file, tok: lhsTok, members: memberToks, cl });
        if (!REPONAME_PATT.test(lhs)) diag(file, tokRange(lhsTok), 'gl-bad-group', `bad group '${lhs}'`);
        for (const t of memberToks) if (!REPOPATT_PATT.test(t.text)) diag(file, tokRange(t), 'gl-bad-expansion', `bad expansion '${t.text}'`);
        let g = groups.get(lhs);
        const members = expand(file, memberToks.map((t) => ({ text: t.text, tok: t })), 'member');
        if (!g) groups.set(lhs, (g = new Map()));
        for (const mem of members) if (!g.has(mem.text)) g.set(mem.text, subconf);
        continue;
      }
    }

    // --- repo line ---
    if (first === 'repo' && cl.toks.length > 1) {
      repolist = [];
      const queue: Array<{ text: string; tok: Tok }> = cl.toks.slice(1).map((t) => ({ text: t.text, tok: t }));
      while (queue.length) {
        const it = queue.shift()!;
        if (it.text.startsWith('@')) res.groupUses.push({ name: it.text, file, tok: it.tok, where: 'repo' });
        if (disallowed(subconf, it.text)) {
          const g = groups.get(it.text);
          if (g) {
            diag(file, tokRange(it.tok), 'gl-subconf-expanding', `expanding '${it.text.replace('@' + subconf + '.', '@')}'; this *may* slow down compilation`);
            queue.unshift(...[...g.keys()].map((k) => ({ text: k, tok: it.tok })));
            continue;
          }
          let ig = ignored.get(subconf);
          if (!ig) ignored.set(subconf, (ig = { names: new Set(), at: tokRange(it.tok), file }));
          ig.names.add(it.text);
          continue;
        }
        let name = it.text;
        if (name.endsWith('.git')) {
          name = name.slice(0, -4);
          diag(file, tokRange(it.tok), 'gl-git-extension', `explicit '.git' extension ignored for ${name}.git`);
        }
        if (!REPOPATT_PATT.test(name)) diag(file, tokRange(it.tok), 'gl-bad-reponame', `bad reponame '${name}'`);
        repolist.push(name);
        res.repoItems.push({ name, file, tok: it.tok, cl });
      }
      continue;
    }

    // --- access rule ---
    const rm = RULE_RE.exec(ptext);
    if (rm) {
      const perm = rm[1];
      const vref = /^(-|R\S+) \S.* = \S.*/.test(ptext);
      const fix = (t: Tok) => (vref && t.text.startsWith('NAME/') ? 'VREF/' + t.text : t.text);
      const refToks = rm.indices![2] ? toksIn(cl, rm.indices![2][0], rm.indices![2][1] - 1) : [];
      const userToks = toksIn(cl, rm.indices![3][0], rm.indices![3][1]);
      let refs = expand(file, refToks.map((t) => ({ text: fix(t), tok: t })), 'ref');
      if (!refToks.length) refs = [{ text: 'refs/.*', tok: cl.toks[0] }];
      refs = refs.map((r) => (/^(refs|VREF)\//.test(r.text) ? r : { text: 'refs/heads/' + r.text, tok: r.tok }));
      const users = userToks.map((t) => {
        const u = fix(t);
        return { text: u === 'CREATOR' || rc.roles.has(u) ? '@' + u : u, tok: t };
      });
      let bad = false;
      for (const u of users) {
        if (!USERNAME_PATT.test(u.text)) { diag(file, tokRange(u.tok), 'gl-bad-username', `bad username '${u.text}'`); bad = true; }
      }
      for (const u of users) if (u.text.startsWith('@')) res.groupUses.push({ name: u.text, file, tok: u.tok, where: 'user' });
      res.rules.push({ perm, file, cl, permTok: cl.toks[0], repos: repolist });
      if (bad) continue;
      const badRefs = new Set<Tok>();
      for (const r of refs) {
        for (const u of users) {
          if (perm === 'R' && r.text !== 'refs/.*') diag(file, tokRange(r.tok), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${r.text}') for 'R' rule`);
          const g = u.text.replace(/^@/, '');
          if (u.text.startsWith('@') && !groups.has(u.text) && !rc.grouplistPgm && g !== 'all' && g !== 'CREATOR' && !rc.roles.has(g))
            diag(file, tokRange(u.tok), 'gl-undeclared-group', `possible undeclared group '${u.text}'`);
          if (!REPOPATT_PATT.test(r.text)) {
            if (!badRefs.has(r.tok)) { badRefs.add(r.tok); diag(file, tokRange(r.tok), 'gl-bad-ref', `bad ref '${r.text}'`); }
          } else storedRules++;
        }
      }
      seq++;
      continue;
    }

    if (/^subconf (\S+)$/.test(ptext)) {
      subconf = cl.toks[1].text;
      if (!/^[-\w.]+$/.test(subconf)) diag(file, whole, 'gl-subconf-bad-name', `bad subconf '${subconf}'`);
      continue;
    }
    diag(file, whole, 'gl-syntax', `syntax error, ignoring: '${ptext}'`, { text: ptext });
  }
  for (const sub of [...ignored.keys()].sort()) {
    const ig = ignored.get(sub)!;
    diag(ig.file, ig.at, 'gl-subconf-access', `subconf '${sub}' attempting to set access for ${[...ig.names].sort().join(', ')}`);
  }
  // Store.pm opens conf/rule_info on the first stored rule and closes it unconditionally, so a
  // conf without a single access rule makes `gitolite compile` die (3.6.12 through 3.6.14).
  if (storedRules === 0 && opts.rootFile) {
    diag(opts.rootFile, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, 'gl-no-rules',
      'close rule_info file failed: Bad file descriptor\ngitolite dies like this when the conf has no access rule at all; add at least one (e.g. for gitolite-admin)');
  }
  return res;
}
