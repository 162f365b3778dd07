// url, pushurl and adminUrl of one remote, with the plugin's load rules (DestinationConfigParser)
// and its use-time adminUrl rules (DestinationsCollection, AdminApiFactory).
import type { ConfigDocument, Entry } from '../../gitconfig/parser';
import type { CheckContext, Fix } from '../context';
import { entriesFor } from '../remoteModel';
import type { ReadGroup } from '../resolved';
import { patternKind } from '../projectFilter';
import {
  adminKind, applyInsteadOf, formatUrl, InsteadOfRule, isGerritHttpUrl, isGerritSshUrl, isSshUrl, NAME_PLACEHOLDER,
  maskUrlPassword as maskUncached, parseUrl as parseUncached, unsafeUrlReason,
} from '../uri';
import { memoize } from '../memo';

// Pure functions of the value, and a big file repeats the same urls across remotes. The
// parses are only read here (never mutated), so sharing them is safe.
const parseCached = memoize((raw: string) => parseUncached(raw), 20_000);
const parseUrl = (raw: string | null) => (raw === null ? parseUncached(raw) : parseCached(raw));
const maskUrlPassword = memoize(maskUncached, 20_000);

const RULES_CACHE = new WeakMap<CheckContext, InsteadOfRule[]>();

/** `[url "BASE"] insteadOf = PREFIX` rules of the file (computed once per validation). */
export function insteadOfRules(c: CheckContext): InsteadOfRule[] {
  const cached = RULES_CACHE.get(c);
  if (cached) return cached;
  const rules = insteadOfRulesOf(c.parsed);
  RULES_CACHE.set(c, rules);
  return rules;
}

export function insteadOfRulesOf(parsed: ConfigDocument): InsteadOfRule[] {
  const rules: InsteadOfRule[] = [];
  for (const s of parsed.sections) {
    if (s.name !== 'url' || s.subsection === null || s.legacy || s.broken) continue;
    for (const e of s.entries) if (e.key === 'insteadof' && e.value) rules.push({ base: s.subsection, prefix: e.value });
  }
  return rules;
}

/** Where `${name}` should go: replace the last path segment's stem, or append a segment. */
export function insertNameFix(c: CheckContext, e: Entry): Fix | undefined {
  if (!e.valueSpan || e.value === null) return undefined;
  const raw = c.doc.getText(c.range(e.valueSpan));
  if (raw !== e.value) return undefined; // quoted or escaped: leave it to the user
  let fixed: string;
  if (raw.endsWith('/')) fixed = raw + NAME_PLACEHOLDER;
  else {
    const m = /^(.*[/:])([^/:]+)\.git$/.exec(raw);
    fixed = m ? `${m[1]}${NAME_PLACEHOLDER}.git` : `${raw}/${NAME_PLACEHOLDER}`;
  }
  return { title: `Insert \${name}: ${fixed}`, edits: [{ range: c.range(e.valueSpan), newText: fixed }], preferred: true };
}

const NO_PROJECTS: readonly string[] = [];

// url values that gave no diagnostic while the file had no insteadOf rules and whose path has
// ${name} (so the remote's projects do not matter): most remotes of a big file share them.
const CLEAN_URLS = new Set<string>();

export function checkUrls(c: CheckContext, r: ReadGroup): void {
  // Passes over the remote's entries by number, with no list of them: this runs once per
  // remote, and lists per remote are garbage in proportion to the file.
  const doc = c.parsed;
  let pushurls: Entry[] | undefined;
  let adminurls: Entry[] | undefined;
  let projectCount = 0;
  let firstProject = '';
  for (let j = 0; j < r.size; j++) {
    const i = r.index(j);
    switch (doc.keyOf(i)) {
      case 'pushurl': (pushurls ??= []).push(doc.entry(i)); break;
      case 'adminurl': (adminurls ??= []).push(doc.entry(i)); break;
      case 'projects': if (projectCount++ === 0) firstProject = doc.valueOf(i) ?? ''; break;
    }
  }
  // projects from included files count too (JGit merges them into the same remote).
  const more = c.included?.get(r.name)?.projects ?? NO_PROJECTS;
  // One exact project name, as isSingleProjectMatch asks, without a list to ask it of.
  const single = projectCount + more.length === 1 && patternKind(projectCount ? firstProject : more[0]) === 'exact';
  const rules = insteadOfRules(c);

  for (let j = 0; j < r.size; j++) {
    const i = r.index(j);
    if (doc.keyOf(i) !== 'url') continue;
    const value = doc.valueOf(i);
    if (rules.length === 0 && value !== null && CLEAN_URLS.has(value)) continue;
    const e = doc.entry(i);
    const before = c.reported();
    // Never echo a password that was written into the URL.
    const written = maskUrlPassword(e.value ?? '');
    const rewritten = e.value === null ? null : applyInsteadOf(e.value, rules);
    const span = e.valueSpan ?? e.keySpan;
    const via = rewritten !== null && rewritten !== e.value ? ` (after insteadOf: '${maskUrlPassword(rewritten)}')` : '';
    const u = parseUrl(rewritten);
    if (!u.ok) {
      c.report('invalid-url', span, `JGit cannot parse url '${written}'${via}: ${maskUrlPassword(u.error.replace(e.value ?? '', written))}. The plugin fails to load with "remote ${r.name} has invalid URL".`);
      continue;
    }
    const unsafe = unsafeUrlReason(rewritten!);
    if (unsafe) c.report('unsafe-url', span, `git-replication refuses url '${written}': ${unsafe}. (JGit would take it for a local path.)`);
    if (u.form === 'local' && /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(rewritten!)) {
      c.report('url-parsed-as-local', span, `JGit reads '${written}' as a local path, not a URL: it recognises only lower-case schemes. Write ${maskUrlPassword(rewritten!).replace(/^[^:]+/, (s) => s.toLowerCase())}.`, {
        fixes: e.valueSpan && e.value === c.doc.getText(c.range(e.valueSpan))
          ? [{ title: 'Lower-case the scheme', edits: [{ range: c.range(e.valueSpan), newText: e.value!.replace(/^[^:]+/, (s) => s.toLowerCase()) }], preferred: true }]
          : undefined,
      });
    } else if (u.form === 'local' && /^[A-Za-z]:[\\/]/.test(rewritten!) && !/^[A-Za-z]:[\\/][\\/]/.test(rewritten!)) {
      c.report('url-parsed-as-local', span, `JGit reads '${written}' as a Windows drive path, not host '${rewritten![0]}': a one-letter host is taken for a drive letter.`);
    }
    if (u.password !== undefined) {
      c.report('url-password', span, `This url carries a password: it shows up in replication.config and in the plugin's logs. Put it in etc/secure.config as remote.${r.name}.password instead${isSshUrl(u) ? '' : `, with the user as remote.${r.name}.username (once the url has no password, JGit takes both from there and ignores the url's user)`}.`);
    }
    const first = u.path.indexOf(NAME_PLACEHOLDER);
    if (first < 0) {
      if (!single) {
        const inHost = (u.host ?? '').includes(NAME_PLACEHOLDER);
        const reason = projectCount === 0
          ? 'The remote has no projects filter'
          : projectCount === 1 ? `Its projects value '${firstProject}' is a pattern, not one exact name` : `It has ${projectCount} projects values`;
        const fix = inHost ? undefined : insertNameFix(c, e);
        c.report(
          'missing-name',
          span,
          `remote.${r.name}.url "${formatUrl(u)}" lacks \${name} placeholder${inHost ? ' in its path (Gerrit only replaces it in the path, not in the host)' : ''}: the plugin refuses to load the file. ${reason}; \${name} may be left out only when projects is one exact project name.`,
          {
            fixes: fix ? [fix] : undefined,
            related: entriesFor(r.entries, 'projects').map((p) => ({ span: p.span, message: 'projects of this remote' })),
          },
        );
      }
    } else if (u.path.indexOf(NAME_PLACEHOLDER, first + 1) >= 0) {
      c.report('repeated-name', span, `Only the first \${name} is replaced; the second one stays in the URL literally.`);
    }
    if (rules.length === 0 && first >= 0 && c.reported() === before && e.value !== null) {
      if (CLEAN_URLS.size >= 20_000) CLEAN_URLS.clear(); // bounded
      CLEAN_URLS.add(e.value);
    }
  }

  for (const e of pushurls ?? []) {
    const u = parseUrl(e.value);
    if (!u.ok) c.report('invalid-url', e.valueSpan ?? e.keySpan, `JGit cannot parse pushurl '${maskUrlPassword(e.value ?? '')}': ${maskUrlPassword(u.error)}. Although the plugin never pushes to it, RemoteConfig parses it and the plugin fails to load with "remote ${r.name} has invalid URL".`);
  }

  for (const e of adminurls ?? []) checkAdminUrl(c, e, single);
}

function checkAdminUrl(c: CheckContext, e: Entry, single: boolean): void {
  const written = maskUrlPassword(e.value ?? '');
  if (written === '') return; // the plugin skips empty adminUrl values
  const span = e.valueSpan ?? e.keySpan;
  const fallback = 'the plugin skips it and uses url for creating repositories and setting HEAD';
  const u = parseUrl(e.value);
  if (!u.ok) {
    c.report('admin-url-invalid', span, `adminURL '${written}' is invalid: ${u.error.replace(e.value ?? '', written)} — ${fallback}.`);
    return;
  }
  if (isGerritSshUrl(u)) {
    if (u.port < 0) c.report('gerrit-ssh-port', span, `gerrit+ssh adminUrl without a port: write ${formatUrl({ ...u, port: 29418 })} (Gerrit's SSH port is usually 29418; the plugin does not add it here).`);
    return;
  }
  if (isGerritHttpUrl(u)) return;
  if (!single && !u.path.includes(NAME_PLACEHOLDER)) {
    const fix = insertNameFix(c, e);
    c.report('admin-url-missing-name', span, `adminURL ${formatUrl(u)} does not contain \${name} — ${fallback}.`, { fixes: fix ? [fix] : undefined });
    return;
  }
  if (!isSshUrl(u)) {
    const kind = adminKind(u);
    const what = kind === 'local' ? 'a local path' : `a ${u.scheme ?? 'plain'} URL`;
    c.report('admin-url-unsupported', span, `adminURL '${formatUrl(u)}' is invalid: only SSH and HTTP are supported — it is ${what}; ${fallback}. Use ssh://, gerrit+ssh:// or gerrit+http(s)://.`);
  }
}
