// The one mask for secrets: every LSP answer, every `check` line, `plan` output and every
// engine or daemon log line goes through it (issue 10, D8). A config names credentials in
// places no rule expects — `[url "https://bot:TOKEN@h/"]`, a remote named after a url, a
// broken url quoted in a message — so the mask works on any text, not on known fields.

/** What a masked secret is shown as. */
export const MASK = '***';

// scheme://AUTHORITY: the authority runs to the first '/' or whitespace; its user info ends at
// the LAST '@' in it (a raw '@' in a password must not leave the rest of the password shown).
// One slash too: a url written as a file path comes back from path.resolve as `https:/user:pw@host`.
const SCHEME_URL = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/?)([^/\s]*@)/g;
// scp-like user:password@host:path (git, JGit), where a word comes right before ':'.
const SCP_URL = /(^|[\s'"`(<[=,])([A-Za-z0-9._~-]+):([^\s/@'"`]+)@([A-Za-z0-9.-]+:)/gm;
// A lone user that is a token, not a name: forges' token prefixes, or anything long.
const TOKEN_USER = /^(gh[pousr]_|github_pat_|glpat-|xox[abpr]-)|^[A-Za-z0-9_.~%-]{20,}$/;
const HTTP_LIKE = /^(https?|ftps?):\/\/?$/i;

function maskUserInfo(scheme: string, userinfoAt: string): string {
  const userinfo = userinfoAt.slice(0, -1);
  const colon = userinfo.indexOf(':');
  if (colon >= 0) return `${scheme}${userinfo.slice(0, colon)}:${MASK}@`;
  // https://TOKEN@host: forges take a token as the user name.
  if (HTTP_LIKE.test(scheme) && TOKEN_USER.test(userinfo)) return `${scheme}${MASK}@`;
  return scheme + userinfoAt;
}

// An outline or a completion list shows the same urls on every request (35,000 of them in a
// 4 MB file): short texts are masked once and remembered, in a bounded memo.
const MEMO = new Map<string, string>();
const MEMO_TEXT = 512;
const MEMO_SIZE = 50_000;

/** `text` with every password (and token-like http user) in a URL's user info replaced by `***`. */
export function maskSecrets(text: string): string {
  if (!text.includes('@')) return text;
  const memo = text.length <= MEMO_TEXT;
  const hit = memo ? MEMO.get(text) : undefined;
  if (hit !== undefined) return hit;
  const out = text
    .replace(SCHEME_URL, (_m, scheme: string, auth: string) => {
      const last = auth.lastIndexOf('@');
      return maskUserInfo(scheme, auth.slice(0, last + 1)) + auth.slice(last + 1);
    })
    .replace(SCP_URL, (_m, pre: string, user: string, _pw: string, host: string) => `${pre}${user}:${MASK}@${host}`);
  if (memo) {
    if (MEMO.size >= MEMO_SIZE) MEMO.clear();
    MEMO.set(text, out);
  }
  return out;
}

/** Secrets shorter than this are replaced only where they stand alone (not inside a word). */
const SHORT_SECRET = 8;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `text` with each known secret (as written, or percent-encoded as in a URL) replaced by
 * `***`, then masked as by maskSecrets. A short secret (a password such as "a" or "pw") is
 * replaced only where it is not part of a longer word, so "Everything up-to-date" is not
 * garbled; a password in a URL's user info is replaced whatever its length.
 */
export function redactSecrets(text: string, secrets: Iterable<string | undefined> = []): string {
  let out = text;
  const all = new Set<string>();
  for (const s of secrets) {
    if (!s) continue;
    all.add(s);
    all.add(encodeURIComponent(s));
  }
  // Longest first, so a secret that contains another is replaced whole.
  for (const s of [...all].sort((a, b) => b.length - a.length)) {
    if (s.length >= SHORT_SECRET) out = out.split(s).join(MASK);
    else out = out.replace(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(s)}(?![A-Za-z0-9])`, 'g'), MASK);
  }
  return maskSecrets(out);
}

// Fields of LSP answers that are not shown but applied or sent back: an edit must write what
// the user wrote (a quick fix that moves a password to secure.config moves the real one), and
// data/arguments come back to the server as they were.
const UNMASKED = new Set(['newText', 'insertText', 'textEdit', 'additionalTextEdits', 'edit', 'changes', 'documentChanges', 'data', 'arguments', 'uri', 'targetUri', 'filterText', 'sortText']);

// LSP Ranges (and a Location's): numbers only, and the bulk of a big answer (an outline of 35,000
// symbols holds 140,000 positions), so they are not walked.
const RANGES = new Set(['range', 'selectionRange', 'targetRange', 'targetSelectionRange', 'originSelectionRange']);

/** A copy of an LSP answer with maskSecrets applied to every string shown to the user. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const m = maskDeep(value[i]);
      if (m !== value[i]) (out ??= value.slice())[i] = m;
    }
    return (out ?? value) as T;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(value)) {
      if (UNMASKED.has(k) || RANGES.has(k)) continue;
      const v = (value as Record<string, unknown>)[k];
      if (typeof v !== 'string' && (v === null || typeof v !== 'object')) continue;
      const m = maskDeep(v);
      if (m !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = m;
    }
    return (out ?? value) as T;
  }
  return value;
}
