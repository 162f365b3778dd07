// `explain`: why a project (and a ref) is or is not replicated to each remote and URL, walking
// the plugin's rules in the order it applies them. Every verdict comes from the Destination the
// engine pushes with (wouldPushProject, wouldPushRef, mapRef, urls); the walk only names which
// rule decided, so explain cannot disagree with what is pushed.
import type { ExplainRemote, ExplainResult, RuleStep } from '../../protocol';
import type { Destination } from '../site/destinations';
import { ALL_REFS, isNoteDbMetaRef, mapSource } from '../site/destinations';
import { displayUrl } from '../transport/invocation';
import { unsafeProjectName, unsafeUrl } from '../transport/safety';

export type { RuleStep, ExplainUrl, ExplainRemote, ExplainResult } from '../../protocol';

const q = (s: string) => JSON.stringify(s);

/** The project rules: excludeProjects first (it wins), then projects. */
function projectSteps(dest: Destination, project: string): RuleStep[] {
  const steps: RuleStep[] = [];
  const excl = dest.exclude.find((p) => p.test(project));
  if (excl) steps.push({ rule: 'excludeProjects', outcome: 'stop', detail: `pattern ${q(excl.source)} (${excl.kind}) excludes it` });
  else if (dest.exclude.length) steps.push({ rule: 'excludeProjects', outcome: 'pass', detail: `no pattern of ${dest.exclude.length} matches` });
  for (const p of [...dest.projects, ...dest.exclude]) if (p.error) steps.push({ rule: p.source, outcome: 'info', detail: `this regex matches nothing: ${p.error}` });
  if (excl) return steps;
  if (!dest.projects.length) steps.push({ rule: 'projects', outcome: 'pass', detail: 'not set: every project' });
  else {
    const inc = dest.projects.find((p) => p.test(project));
    steps.push(inc ? { rule: 'projects', outcome: 'pass', detail: `pattern ${q(inc.source)} (${inc.kind}) matches` } : { rule: 'projects', outcome: 'stop', detail: `none of ${dest.projects.map((p) => q(p.source)).join(', ')} matches` });
  }
  return steps;
}

/** The ref rules in PushOne's order: automerge, permissions, NoteDb, excludedRefsPattern, refspecs. */
function refSteps(dest: Destination, ref: string): RuleStep[] {
  const s = dest.settings;
  const steps: RuleStep[] = [];
  if (ref.startsWith('refs/cache-automerge/')) return [{ rule: 'refs/cache-automerge/*', outcome: 'stop', detail: 'never replicated' }];
  if (ref === 'refs/meta/config') {
    steps.push({ rule: 'replicatePermissions', outcome: s.replicatePermissions ? 'pass' : 'stop', detail: s.replicatePermissions ? 'true: refs/meta/config is replicated' : 'false: refs/meta/config is not replicated' });
    if (!s.replicatePermissions) return steps;
  }
  if (isNoteDbMetaRef(ref)) {
    steps.push({ rule: 'replicateNoteDbMetaRefs', outcome: s.replicateNoteDbMetaRefs ? 'pass' : 'stop', detail: `${s.replicateNoteDbMetaRefs} (a NoteDb meta ref)` });
    if (!s.replicateNoteDbMetaRefs) return steps;
  }
  const ex = dest.excludedRefs.findIndex((r) => r.test(ref));
  if (ex >= 0) return [...steps, { rule: 'excludedRefsPattern', outcome: 'stop', detail: `${q(s.excludedRefsPattern[ex] ?? String(dest.excludedRefs[ex]))} matches` }];
  if (dest.excludedRefs.length) steps.push({ rule: 'excludedRefsPattern', outcome: 'pass', detail: 'no pattern matches' });
  const spec = dest.specs.find((sp) => mapSource(sp, ref) !== null);
  if (!spec) return [...steps, { rule: 'push', outcome: 'stop', detail: `no refspec matches (${dest.specs.map((x) => q(x.text)).join(', ')})` }];
  const dst = mapSource(spec, ref)!;
  steps.push({ rule: 'push', outcome: 'pass', detail: `${q(spec.text)} maps it to ${dst}${spec.force ? ' (forced)' : ' (fast-forward only)'}${s.push.length ? '' : ' [the default refspec]'}` });
  return steps;
}

/**
 * Explain one project (and optionally one ref) for each destination. `allProjects` is the site's
 * project list, for remoteNameStyle collisions.
 */
export function explain(dests: Destination[], project: string, ref: string | undefined, allProjects: string[]): ExplainResult {
  const out: ExplainResult = { project, ref, remotes: [] };
  const badName = unsafeProjectName(project);
  for (const dest of dests) {
    const s = dest.settings;
    const steps = badName ? [{ rule: 'project name', outcome: 'stop' as const, detail: `refused: ${badName}` }] : projectSteps(dest, project);
    const projectReplicated = !badName && dest.wouldPushProject(project);
    if (s.authGroup.length)
      steps.push({ rule: 'authGroup', outcome: 'info', detail: `${s.authGroup.map(q).join(', ')}: whether the group can read the project and the ref needs Gerrit's permissions; it cannot be evaluated here` });
    const r: ExplainRemote = { remote: dest.name, at: `${s.file}:${s.line}`, projectReplicated, steps, urls: [] };
    if (ref !== undefined && projectReplicated) {
      steps.push(...refSteps(dest, ref));
      r.refReplicated = ref !== ALL_REFS && dest.wouldPushRef(ref);
      if (r.refReplicated) r.remoteRef = dest.mapRef(ref)?.dst;
      if (s.mirror) steps.push({ rule: 'mirror', outcome: 'info', detail: `true: when the ref is deleted at the source, ${r.remoteRef ?? 'its remote ref'} is deleted on the mirror` });
    } else if (projectReplicated && s.mirror) steps.push({ rule: 'mirror', outcome: 'info', detail: 'true: mirror refs the source lacks are deleted' });
    if (projectReplicated && s.replicateProjectDeletions) steps.push({ rule: 'replicateProjectDeletions', outcome: 'info', detail: 'true: deleting the project deletes it on the mirror' });
    if (projectReplicated) {
      const expanded = new Map(dest.urls(project).map((u) => [u.template, u.url]));
      for (const template of s.urls) {
        const url = expanded.get(template);
        const us: RuleStep[] = [];
        if (url === undefined) us.push({ rule: 'url', outcome: 'stop', detail: `${q(displayUrl(template))} cannot be expanded for this project (\${name} with remoteNameStyle = ${s.remoteNameStyle})` });
        else {
          us.push({ rule: 'remoteNameStyle', outcome: 'info', detail: `${s.remoteNameStyle}: target ${displayUrl(url)}` });
          const bad = unsafeUrl(url);
          if (bad) us.push({ rule: 'url', outcome: 'stop', detail: `refused: ${bad}` });
        }
        const collisions = url === undefined ? [] : allProjects.filter((p) => p !== project && dest.wouldPushProject(p) && dest.urls(p).some((u) => u.url === url));
        if (collisions.length) us.push({ rule: 'remoteNameStyle', outcome: 'info', detail: `collision: ${collisions.length} other project(s) go to the same URL (${collisions.slice(0, 5).join(', ')}${collisions.length > 5 ? ', …' : ''})` });
        const ok = url !== undefined && !unsafeUrl(url);
        r.urls.push({ template: displayUrl(template), url: url === undefined ? undefined : displayUrl(url), replicated: ok && (ref === undefined || !!r.refReplicated), steps: us, collisions });
      }
      if (!s.urls.length) steps.push({ rule: 'url', outcome: 'stop', detail: 'the remote has no url' });
    }
    out.remotes.push(r);
  }
  return out;
}
