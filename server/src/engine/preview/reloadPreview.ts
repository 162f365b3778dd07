// The reload preview (`plan --against OLD`): what changes when the server loads the edited config
// instead of the deployed one. Remotes, URLs and settings are compared as the engine reads them
// (loadSite's RemoteSettings, the Destinations it pushes with), projects by what each remote
// replicates, refs by the push rules applied to each project's refs, and stored tasks by what the
// new config would run. A reload stops the queue: pending pushes start over from the task store,
// and a stored task the new config does not produce is never pushed (the engine quarantines it).
import type {
  CheckDiagnostic, ReloadPreview, ReloadRefChange, ReloadTaskVerdict, RemoteReloadDiff, SettingChange,
} from '../../protocol';
import { existsSync, realpathSync } from 'node:fs';
import type { Destination } from '../site/destinations';
import { projectDir, scanProjects, type RemoteSettings, type Site } from '../site/loadSite';
import { readStoredTasks, type StoredEntry, type StoredTask } from '../queue/taskStore';
import { localRefs, type RefMap } from '../transport/refs';
import { displayUrl } from '../transport/invocation';
import { unsafeProjectName } from '../transport/safety';
import { Engine } from '../engine';

/** One side of the comparison: a loaded site and, unless it is refused, what it would run. */
export interface ReloadSide {
  site: Site;
  /** Empty when the site is refused (nothing replicates with it). */
  dests: Destination[];
  /** Why a stored task would not be run (Engine.taskRefusal), or undefined. */
  refusal(task: StoredTask): string | undefined;
}

export interface ReloadInput {
  /** The config as deployed (OLD_DIR, the saved file, git HEAD). */
  old: ReloadSide;
  /** The edited config. */
  next: ReloadSide;
  against: string;
  /** Projects of the site (the repositories do not change with the config). */
  projects: string[];
  /** The stored tasks a reload would replay. */
  tasks: Array<StoredEntry & { state: 'waiting' | 'running'; /** Read from a store the new config no longer uses. */ leftBehind?: boolean }>;
  badTaskFiles?: number;
  /** A project's local refs, for ref rules that change; undefined when it cannot be read. */
  localRefs(project: string): Promise<RefMap | undefined>;
}

/** Settings compared key by key; `urls` is compared as lists of added / removed templates. */
const COMPARED: Array<keyof RemoteSettings> = [
  'push', 'projects', 'excludeProjects', 'excludedRefsPattern', 'authGroup', 'adminUrls', 'mirror', 'replicatePermissions',
  'replicateNoteDbMetaRefs', 'replicateProjectDeletions', 'createMissingRepositories', 'remoteNameStyle', 'defaultForceUpdate',
  'replicationDelay', 'rescheduleDelay', 'replicationRetry', 'replicationMaxRetries', 'updateRefErrorMaxRetries', 'threads',
  'timeout', 'drainQueueAttempts', 'pushBatchSize',
];
/** Settings that decide which refs go where: when one differs, each project's refs are compared. */
const REF_RULES: Array<keyof RemoteSettings> = ['push', 'excludedRefsPattern', 'replicatePermissions', 'replicateNoteDbMetaRefs', 'defaultForceUpdate'];
/** At most this many ref changes are kept per remote (the rest are counted in a note). */
const MAX_REF_CHANGES = 1000;

const shown = (v: unknown): string => (Array.isArray(v) ? (v.length ? v.map((x) => displayUrl(String(x))).join(', ') : '(none)') : String(v));

function settingChanges(a: RemoteSettings, b: RemoteSettings): SettingChange[] {
  const out: SettingChange[] = [];
  for (const k of COMPARED) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.push({ key: k, old: shown(a[k]), new: shown(b[k]) });
  // Credentials: that they changed, never what they are.
  if (a.username !== b.username) out.push({ key: 'username', old: a.username === undefined ? '(none)' : '(set)', new: b.username === undefined ? '(none)' : '(changed)' });
  if (a.password !== b.password) out.push({ key: 'password', old: a.password === undefined ? '(none)' : '(set)', new: b.password === undefined ? '(none)' : '(changed)' });
  return out;
}

function notesFor(a: RemoteSettings | undefined, b: RemoteSettings): string[] {
  const notes: string[] = [];
  if (b.mirror && !a?.mirror) notes.push("mirror turns on: the next full sync deletes every mirror ref the source lacks ('plan' lists them)");
  if (b.createMissingRepositories && a && !a.createMissingRepositories) notes.push('createMissingRepositories turns on: missing mirror repositories are created');
  if (b.replicateProjectDeletions && a && !a.replicateProjectDeletions) notes.push('replicateProjectDeletions turns on: deleting a project deletes it on the mirrors');
  if (a && a.remoteNameStyle !== b.remoteNameStyle) notes.push(`remoteNameStyle changes: projects go to other repositories on the mirrors`);
  return notes;
}

function targetsOf(d: Destination | undefined, projects: string[]): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  if (!d) return m;
  for (const p of projects) if (d.wouldPushProject(p)) m.set(p, new Set(d.urls(p).map((u) => displayUrl(u.url))));
  return m;
}

/** How one ref is replicated by a destination: its remote ref and '+', or undefined. */
function refRule(d: Destination, ref: string): string | undefined {
  if (!d.wouldPushRef(ref)) return undefined;
  const m = d.mapRef(ref);
  return m ? `${m.force ? '+' : ''}${m.dst}` : undefined;
}

async function refChanges(a: Destination, b: Destination, projects: string[], localRefs: ReloadInput['localRefs']): Promise<{ refs: ReloadRefChange[]; more: number }> {
  const refs: ReloadRefChange[] = [];
  let more = 0;
  for (const project of projects) {
    const local = await localRefs(project);
    if (!local) continue;
    for (const ref of [...local.keys()].sort()) {
      const before = refRule(a, ref);
      const after = refRule(b, ref);
      if (before === after) continue;
      const c: ReloadRefChange =
        before === undefined ? { project, ref, change: 'added', detail: `→ ${after}` }
        : after === undefined ? { project, ref, change: 'removed', detail: `was → ${before}` }
        : { project, ref, change: 'remapped', detail: `→ ${before} becomes → ${after}` };
      if (refs.length < MAX_REF_CHANGES) refs.push(c);
      else more++;
    }
  }
  return { refs, more };
}

async function remoteDiff(name: string, a: Destination | undefined, b: Destination | undefined, input: ReloadInput): Promise<RemoteReloadDiff | undefined> {
  const sa = a?.settings;
  const sb = b?.settings;
  const s = (sb ?? sa)!;
  const diff: RemoteReloadDiff = {
    remote: name,
    change: !sa ? 'added' : !sb ? 'removed' : 'changed',
    at: `${s.file}:${s.line}`,
    settings: sa && sb ? settingChanges(sa, sb) : [],
    urlsAdded: (sb?.urls ?? []).filter((u) => !(sa?.urls ?? []).includes(u)).map(displayUrl),
    urlsRemoved: (sa?.urls ?? []).filter((u) => !(sb?.urls ?? []).includes(u)).map(displayUrl),
    projectsAdded: [],
    projectsRemoved: [],
    targetsAdded: [],
    targetsRemoved: [],
    refs: [],
    notes: sb ? notesFor(sa, sb) : [],
  };
  const before = targetsOf(a, input.projects);
  const after = targetsOf(b, input.projects);
  for (const p of input.projects) {
    const x = before.get(p);
    const y = after.get(p);
    if (!x && y) diff.projectsAdded.push(p);
    else if (x && !y) diff.projectsRemoved.push(p);
    else if (x && y) {
      for (const url of y) if (!x.has(url)) diff.targetsAdded.push({ project: p, url });
      for (const url of x) if (!y.has(url)) diff.targetsRemoved.push({ project: p, url });
    }
  }
  if (a && b && REF_RULES.some((k) => JSON.stringify(a.settings[k]) !== JSON.stringify(b.settings[k]))) {
    const both = input.projects.filter((p) => before.has(p) && after.has(p));
    const r = await refChanges(a, b, both, input.localRefs);
    diff.refs = r.refs;
    if (r.more) diff.notes.push(`${r.more} more ref change(s) not listed`);
  }
  const changed = diff.change !== 'changed' || diff.settings.length || diff.urlsAdded.length || diff.urlsRemoved.length || diff.projectsAdded.length
    || diff.projectsRemoved.length || diff.targetsAdded.length || diff.targetsRemoved.length || diff.refs.length;
  return changed ? diff : undefined;
}

function siteSettings(a: Site, b: Site): SettingChange[] {
  const out: SettingChange[] = [];
  const cmp = (key: string, x: unknown, y: unknown) => {
    if (x !== y) out.push({ key, old: String(x), new: String(y) });
  };
  // As written: two copies of one site resolve the same setting below different directories.
  const w = (x: string) => x || '(default)';
  cmp('gerrit.basePath', w(a.written.basePath), w(b.written.basePath));
  cmp('replication.eventsDirectory', w(a.written.eventsDirectory), w(b.written.eventsDirectory));
  cmp('replicateOnStartup', a.replicateOnStartup, b.replicateOnStartup);
  cmp('maxRefsToShow', a.maxRefsToShow, b.maxRefsToShow);
  return out;
}

function taskVerdict(e: ReloadInput['tasks'][number], input: ReloadInput): ReloadTaskVerdict {
  const t = e.task;
  const base = { key: e.key, state: e.state, project: t.project, remote: t.remote, url: displayUrl(t.uri), refs: t.refs };
  const already = input.old.refusal(t);
  if (already) return { ...base, verdict: 'refused', reason: already };
  if (input.next.site.refused) return { ...base, verdict: 'kept', reason: 'the reload fails: the deployed config stays' };
  if (e.leftBehind)
    return { ...base, verdict: 'dropped', reason: `replication.eventsDirectory changes to ${input.next.site.written.eventsDirectory || 'the default'}: this store is no longer read` };
  const refused = input.next.refusal(t);
  if (refused) return { ...base, verdict: 'dropped', reason: refused };
  const dest = input.next.dests.find((d) => d.name === t.remote);
  const dropped = dest ? t.refs.filter((r) => !dest.wouldPushRef(r)) : [];
  if (dropped.length === t.refs.length) return { ...base, verdict: 'dropped', reason: 'the new config pushes none of its refs', droppedRefs: dropped };
  if (dropped.length) return { ...base, verdict: 'narrowed', reason: 'the new config no longer pushes some of its refs', droppedRefs: dropped };
  return { ...base, verdict: 'kept' };
}

export async function reloadPreview(input: ReloadInput): Promise<ReloadPreview> {
  const { old, next } = input;
  const diagnostics: CheckDiagnostic[] = [
    ...(next.site.refused ? next.site.diagnostics : []),
    ...(old.site.refused ? old.site.diagnostics : []),
  ].filter((d) => d.severity === 'error');
  const out: ReloadPreview = {
    site: next.site.dir,
    against: input.against,
    newRefused: next.site.refused,
    oldRefused: old.site.refused,
    diagnostics,
    siteSettings: siteSettings(old.site, next.site),
    remotes: [],
    tasks: input.tasks.map((e) => taskVerdict(e, input)),
    badTaskFiles: input.badTaskFiles ?? 0,
    unchanged: false,
  };
  if (!next.site.refused) {
    const names = [...new Set([...old.dests.map((d) => d.name), ...next.dests.map((d) => d.name)])].sort();
    for (const name of names) {
      const d = await remoteDiff(name, old.dests.find((x) => x.name === name), next.dests.find((x) => x.name === name), input);
      if (d) out.remotes.push(d);
    }
  }
  out.unchanged = !out.newRefused && !out.remotes.length && !out.siteSettings.length && out.tasks.every((t) => t.verdict === 'kept' || t.verdict === 'refused');
  return out;
}

/** Did the preview find anything a reload would lose: a refused config or dropped tasks? */
export function reloadLoses(p: ReloadPreview): boolean {
  return p.newRefused || p.tasks.some((t) => t.verdict === 'dropped' || t.verdict === 'narrowed');
}

/** A side of the comparison from a loaded site: a refused site replicates nothing. */
export function reloadSide(site: Site): ReloadSide {
  if (site.refused) return { site, dests: [], refusal: () => undefined };
  const engine = new Engine(site, { persist: false });
  return { site, dests: engine.dests, refusal: (t) => engine.taskRefusal(t) };
}

/**
 * The preview of loading `next` where `old` is deployed. The projects are those under either
 * site's basePath (a copy of etc/ alone has none), the tasks those of either site's store.
 */
export async function previewReload(old: Site, next: Site, against: string): Promise<ReloadPreview> {
  const projects = new Set<string>();
  for (const base of new Set([next.basePath, old.basePath])) for (const p of scanProjects(base).projects) if (!unsafeProjectName(p)) projects.add(p);
  const tasks: ReloadInput['tasks'] = [];
  let bad = 0;
  const stores = new Set<string>();
  const real = (dir: string) => (existsSync(dir) ? realpathSync(dir) : undefined);
  // A store is left behind only when the setting changes, not because the copies live apart.
  const moved = old.written.eventsDirectory !== next.written.eventsDirectory && real(old.eventsDir) !== real(next.eventsDir);
  for (const dir of [old.eventsDir, next.eventsDir]) {
    const r0 = real(dir);
    if (!r0 || stores.has(r0)) continue;
    stores.add(r0);
    const leftBehind = moved && dir === old.eventsDir;
    const r = readStoredTasks(dir);
    for (const e of r.running) tasks.push({ ...e, state: 'running', leftBehind });
    for (const e of r.waiting) tasks.push({ ...e, state: 'waiting', leftBehind });
    bad += r.bad;
  }
  const repoDir = (p: string) => {
    const d = projectDir(next.basePath, p);
    return existsSync(d) ? d : projectDir(old.basePath, p);
  };
  return reloadPreview({
    old: reloadSide(old),
    next: reloadSide(next),
    against,
    projects: [...projects].sort(),
    tasks,
    badTaskFiles: bad,
    localRefs: (p) => localRefs(repoDir(p)).catch(() => undefined),
  });
}
