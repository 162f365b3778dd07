// `config KEY = VALUE`, and the sugar that becomes one (Conf/Sugar.pm): `option K = V` →
// `config gitolite-options.K = V`, `desc|owner|category = V` → `config gitweb.*`, and
// `option mirror.slaves` → `mirror.copies`. Checked against GIT_CONFIG_KEYS and UNSAFE_PATT.
import type { ConfigEntry } from '../compileTypes';
import type { GitoliteCaches } from '../../caches';
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import { Entry, type RcView } from '../chunk';

const CONFIG_RE = /^config (.+) = ?(.*)/;
const OPTION_RE = /^option (\S+) = (\S.*)/;
const GITWEB_RE = /^(desc|owner|category) = (\S.*)/;

/** The cleaned text with gitolite's mirror.slaves → mirror.copies sugar (only lines that need text ask). */
export function ptextOf(t: string): string {
  return t.indexOf('option mirror.slaves') >= 0 ? t.replace('option mirror.slaves', 'option mirror.copies') : t;
}

// `option K` is `config gitolite-options.K`: one shared key string per K (thousands of lines say `mirror.master`).
function optionKey(caches: GitoliteCaches, k: string): string {
  const keys = caches.optionKeys;
  let v = keys.get(k);
  if (v === undefined) {
    if (keys.size > 5000) keys.clear();
    keys.set(k, (v = caches.intern('gitolite-options.' + k)));
  }
  return v;
}

/** Token ranges [ka, kz] and [va, vz] of the key and the value. */
interface ConfigParts { key: string; ka: number; kz: number; value: string; va: number; vz: number; via: ConfigEntry['via'] }

function configParts(caches: GitoliteCaches, x: XLine, first: string): ConfigParts | undefined {
  const cl = x.cl;
  const n = cl.n;
  // Not kept on the line: 8,000 option lines would each hold a copy for nothing.
  const text = cl.cleanText();
  const ptext = ptextOf(text);
  if (first === 'option') {
    // The cleaned text is the tokens joined by single spaces, so OPTION_RE matches exactly when
    // the third token is `=` with a value after it: key token 1, value the tail from token 3.
    if (n < 4 || !cl.tokIs(2, '=')) return undefined;
    if (ptext === text) {
      let len = n - 4;
      for (let k = 3; k < n; k++) len += cl.tokLen(k);
      return { key: optionKey(caches, cl.tokText(1)), ka: 1, kz: 1, value: text.slice(text.length - len), va: 3, vz: n - 1, via: 'option' };
    }
    const m = OPTION_RE.exec(ptext);
    if (!m) return undefined;
    const [va, vz] = cl.tokAtOffset(text.length - m[2].length, text.length);
    return { key: 'gitolite-options.' + m[1], ka: 1, kz: 1, value: m[2], va, vz, via: 'option' };
  }
  if (first === 'config') {
    const m = CONFIG_RE.exec(ptext);
    if (!m) return undefined;
    // 'config ' is 7 characters; the value is the tail of the line.
    const [ka, kz] = cl.tokAtOffset(7, 7 + m[1].length);
    const [va, vz] = m[2].length ? cl.tokAtOffset(text.length - m[2].length, text.length) : [n - 1, n - 1];
    return { key: m[1], ka, kz, value: m[2], va, vz, via: 'config' };
  }
  const m = GITWEB_RE.exec(ptext);
  if (!m) return undefined;
  const [va, vz] = cl.tokAtOffset(text.length - m[2].length, text.length);
  return { key: m[1] === 'desc' ? 'gitweb.description' : 'gitweb.' + m[1], ka: 0, kz: 0, value: m[2], va, vz, via: m[1] as ConfigEntry['via'] };
}

// Keys and values repeat across thousands of lines: each answer once per rc view.
function keyAllowed(view: RcView, key: string): boolean {
  const memo = (view.memo ??= { keys: new Map(), unsafe: new Map() }).keys;
  let ok = memo.get(key);
  if (ok === undefined) {
    if (memo.size > 5000) memo.clear();
    memo.set(key, (ok = view.validKeys.some((re) => re.test(key))));
  }
  return ok;
}

function unsafeValue(view: RcView, unsafePatt: RegExp, value: string): boolean {
  const memo = (view.memo ??= { keys: new Map(), unsafe: new Map() }).unsafe;
  let bad = memo.get(value);
  if (bad === undefined) {
    if (memo.size > 5000) memo.clear();
    memo.set(value, (bad = unsafePatt.test(value)));
  }
  return bad;
}

export function configLine(cc: ChunkCompiler, x: XLine, first: string): boolean {
  if (first !== 'option' && first !== 'desc' && first !== 'owner' && first !== 'category' && first !== 'config') return false;
  const { rc, view } = cc;
  // gitolite v2 has `config` lines only: its other sugar is "can't make head or tail" there
  // (otherLine). `option mirror.*` stays an entry so the mirror checks can explain it.
  if (view.v2 && first !== 'config' && !(first === 'option' && x.cl.n > 1 && x.cl.tokText(1).startsWith('mirror.'))) return false;
  const cfg = configParts(cc.caches, x, first);
  if (!cfg) return false;
  const { cl, file } = x;
  if (cc.repolist.length === 0)
    cc.diag(file, cl.tokRange(0, cl.n - 1), 'gl-option-no-repo', cc.subconf === 'master'
      ? `this line applies to no repository: gitolite attaches ${first} lines to the repos of the last 'repo' line, and there is none before it; gitolite compiles it without a word and it has no effect`
      : `this line applies to no repository: the last 'repo' line of subconf '${cc.subconf}' named only repos it may not set (gitolite ignored them), so gitolite applies it nowhere`);
  const q = cfg.value.charCodeAt(0);
  const value = q === 34 || q === 39 ? cfg.value.replace(/^['"](.*)["']$/, '$1') : cfg.value;
  if (!keyAllowed(view, cfg.key)) {
    const kr = cl.tokRange(cfg.ka, cfg.kz);
    if (view.v2) {
      const mirror = cfg.key.startsWith('gitolite.mirror.');
      cc.diag(file, kr, mirror ? 'gl-mirror-v2-key-not-allowed' : 'gl-config-not-allowed', mirror
        ? `git config '${cfg.key}' is not covered by $GL_GITCONFIG_KEYS ('${rc.gitConfigKeys?.value ?? ''}'): gitolite v2 refuses this config line, so the repo's mirror settings are never written and it stays local; add "gitolite.mirror.*" to $GL_GITCONFIG_KEYS`
        : `git config ${cfg.key} not allowed\ncheck GL_GITCONFIG_KEYS in the rc file for how to allow it`, { key: cfg.key });
    } else cc.diag(file, kr, 'gl-config-not-allowed', `git config '${cfg.key}' not allowed\ncheck GIT_CONFIG_KEYS in the rc file`, { key: cfg.key });
  }
  if (unsafeValue(view, rc.unsafePatt, value)) {
    // The first line is gitolite's; for mirror keys we add what it means for mirroring.
    const mirror = /^(gitolite-options|gitolite)\.mirror\./i.test(cfg.key);
    cc.diag(file, cl.tokRange(cfg.va, cfg.vz), 'gl-bad-config-value', `bad config value '${value}'` + (mirror ? '\ngitolite stops compiling here: the compiled conf is not updated, so no mirror setting of this change takes effect' : ''));
  }
  let v = value;
  if (v.indexOf('%') >= 0) for (const [mk, mv] of view.safeConfig) v = v.split('%' + mk).join(mv);
  cc.seq++;
  cc.res.configs.push(new Entry(cc.res.box, cc.seq, cc.caches.intern(cfg.key), cc.caches.intern(v), cc.repolist, file, cl, cfg.ka, cfg.kz, cfg.va, cfg.vz, cfg.via));
  return true;
}
