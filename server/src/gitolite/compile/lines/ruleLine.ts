// An access rule `PERM [REFS] = USERS` (Conf.pm's rule regex), checked the way gitolite stores
// it: users, the name_vref sugar, @group expansion of the refs, and the ref patterns. The
// common shapes (no ref list; refs without @groups) take fast paths that report the same
// findings in the same order without building the expanded lists.
import type { ConfLine } from '../confParser';
import type { XLine } from '../explode';
import type { ChunkCompiler } from '../chunkCompiler';
import type { Item } from '../chunk';
import { REPOPATT_PATT, USERNAME_PATT } from '../patterns';

const PERM_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?)$/;
/** A whole rule line, for the features that list rules (not used by the checks). */
export const RULE_RE = /^(-|C|R|RW\+?(?:C?D?|D?C?)M?) (.* )?= (.+)/;
/** REPOPATT_PATT's characters: what may follow 'refs/heads/' in a valid ref. */
const REF_TAIL = /^[-0-9a-zA-Z._@/+\\^$|()[\]*?{},]*$/;

/** A rule's token with the name_vref sugar: `NAME/x` → `VREF/NAME/x` (when `vref`). */
function fixRef(cl: ConfLine, k: number, vref: boolean): string {
  const t = cl.tokText(k);
  return vref && t.startsWith('NAME/') ? 'VREF/' + t : t;
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Whether token k matches USERNAME_PATT (`^@?[0-9a-zA-Z][-0-9a-zA-Z._@+]*$`), read in place. */
function usernameToken(cl: ConfLine, k: number): boolean {
  const len = cl.tokLen(k);
  let i = cl.tokChar(k, 0) === 64 /* @ */ ? 1 : 0;
  if (i >= len || !isAlnum(cl.tokChar(k, i))) return false;
  for (i++; i < len; i++) {
    const c = cl.tokChar(k, i);
    if (!(isAlnum(c) || c === 45 /* - */ || c === 46 /* . */ || c === 95 /* _ */ || c === 64 /* @ */ || c === 43 /* + */)) return false;
  }
  return true;
}

/** `possible undeclared group` for a @user that names no group (without a group-list program). */
function checkGroupUser(cc: ChunkCompiler, x: XLine, u: string, k: number): void {
  if (u.charCodeAt(0) === 64 /* @ */ && !cc.rc.grouplistPgm && !cc.has(u)) {
    const g = u.slice(1);
    if (g !== 'all' && g !== 'CREATOR' && !cc.hasRole(g)) cc.diag(x.file, x.cl.tokRange(k), 'gl-undeclared-group', `possible undeclared group '${u}'`);
  }
}

export function ruleLine(cc: ChunkCompiler, x: XLine, first: string): boolean {
  const { cl, file } = x;
  const n = cl.n;
  // The rule regex in token terms: a permission, then the last `=` token that has users after
  // it (the regex's greedy `(.* )?` picks exactly that one).
  let eqAt = -1;
  if (PERM_RE.test(first)) for (let k = n - 2; k >= 1; k--) if (cl.tokIs(k, '=')) { eqAt = k; break; }
  if (eqAt <= 0) return false;
  cc.storedRules++; // counts rule lines: with none at all, gitolite dies (compile())
  const perm = first;
  if (eqAt === 1) {
    // No ref list (the common case): refs/.* only (it passes the ref check), no name_vref
    // sugar, nothing to expand; the same checks in the same order as below, without the garbage.
    // Users checked in place: a string only for a @name, a possible role or a finding.
    let bad = false;
    for (let k = 2; k < n; k++) {
      if (cl.tokIs(k, 'CREATOR') || (!cc.mayBeRole(cl.tokChar(k)) && usernameToken(cl, k))) continue;
      const t = cl.tokText(k);
      const u = cc.hasRole(t) ? '@' + t : t;
      if (!USERNAME_PATT.test(u)) { cc.diag(file, cl.tokRange(k), 'gl-bad-username', `bad username '${u}'`); bad = true; }
    }
    if (bad) return true;
    if (!cc.rc.grouplistPgm) for (let k = 2; k < n; k++) {
      const c = cl.tokChar(k);
      if (c !== 64 /* @ */ && !(cl.tokIs(k, 'CREATOR') || cc.rc.roles.size)) continue;
      // @all is never an undeclared group, whatever the map says: no lookup.
      if (c === 64 && !cc.mayBeRole(64) && cl.tokIs(k, '@all')) continue;
      const t = cl.tokText(k);
      checkGroupUser(cc, x, t === 'CREATOR' || cc.hasRole(t) ? '@' + t : t, k);
    }
    cc.seq++;
    return true;
  }
  return ruleWithRefs(cc, x, perm, eqAt);
}

/**
 * The users of a rule (CREATOR and roles as @names), or null after reporting a bad one. A
 * plain function, not a closure: a closure's context would be made for every rule line.
 */
function readUsers(cc: ChunkCompiler, x: XLine, eqAt: number, vref: boolean): string[] | null {
  const { cl, file } = x;
  const nu = cl.n - eqAt - 1;
  const users: string[] = new Array(nu);
  let bad = false;
  for (let j = 0; j < nu; j++) {
    const k = eqAt + 1 + j;
    const u = fixRef(cl, k, vref);
    users[j] = u === 'CREATOR' || cc.hasRole(u) ? '@' + u : u;
    if (!USERNAME_PATT.test(users[j])) { cc.diag(file, cl.tokRange(k), 'gl-bad-username', `bad username '${users[j]}'`); bad = true; }
  }
  return bad ? null : users;
}

/** A rule with a ref list (tokens 1 .. eqAt-1). */
function ruleWithRefs(cc: ChunkCompiler, x: XLine, perm: string, eqAt: number): boolean {
  const { cl, file } = x;
  const n = cl.n;
  // name_vref sugar: `NAME/x` → `VREF/NAME/x` when a ref list is present (and perm is - or R…).
  const vref = perm === '-' || (perm.length > 1 && perm.charCodeAt(0) === 82 /* R */);
  const nu = n - eqAt - 1;
  let groupRef = false;
  for (let k = 1; k < eqAt && !groupRef; k++) groupRef = cl.tokChar(k) === 64 /* @ */;
  if (!groupRef) {
    // No @group among the refs (the usual case): nothing to expand; the same checks in the
    // same order as below, without building 'refs/heads/...' strings unless a diagnostic needs them.
    const users = readUsers(cc, x, eqAt, vref);
    if (!users) return true;
    for (let k = 1; k < eqAt; k++) {
      const t = fixRef(cl, k, vref);
      const full = t.startsWith('refs/') || t.startsWith('VREF/');
      // 'refs/heads/' + t passes REPOPATT_PATT exactly when t is made of its characters.
      const badRef = full ? !REPOPATT_PATT.test(t) : !REF_TAIL.test(t);
      for (let j = 0; j < nu; j++) {
        if (perm === 'R' && !(full && t === 'refs/.*')) cc.diag(file, cl.tokRange(k), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${full ? t : 'refs/heads/' + t}') for 'R' rule`);
        checkGroupUser(cc, x, users[j], eqAt + 1 + j);
        if (badRef) {
          cc.diag(file, cl.tokRange(k), 'gl-bad-ref', `bad ref '${full ? t : 'refs/heads/' + t}'`);
          break;
        }
      }
      if (badRef) break;
    }
    cc.seq++;
    return true;
  }
  const refItems: Item[] = [];
  for (let k = 1; k < eqAt; k++) refItems.push({ text: fixRef(cl, k, vref), k });
  const refs = cc.expand(file, cl, refItems);
  for (let i = 0; i < refs.length; i++) {
    const r = refs[i].text;
    if (!(r.startsWith('refs/') || r.startsWith('VREF/'))) refs[i] = { text: 'refs/heads/' + r, k: refs[i].k };
  }
  const users = readUsers(cc, x, eqAt, vref);
  if (!users) return true;
  for (const r of refs) {
    const badRef = !REPOPATT_PATT.test(r.text);
    for (let j = 0; j < nu; j++) {
      if (perm === 'R' && r.text !== 'refs/.*') cc.diag(file, cl.tokRange(r.k), 'gl-read-rule-ref', `doesn't make sense to supply a ref ('${r.text}') for 'R' rule`);
      checkGroupUser(cc, x, users[j], eqAt + 1 + j);
      if (badRef) {
        cc.diag(file, cl.tokRange(r.k), 'gl-bad-ref', `bad ref '${r.text}'`);
        break;
      }
    }
    if (badRef) break;
  }
  cc.seq++;
  return true;
}
