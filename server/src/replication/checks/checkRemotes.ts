// Rules about one remote as a whole: fetch makes it ignored, no url makes it skipped, its
// refspecs, and batching that cluster mode turns off.
import { jgitRawOf } from '../../gitconfig/jgitRead';
import type { Entry } from '../../gitconfig/parser';
import { CheckContext, ignoredRemoteContext } from '../context';
import { headerText } from './checkSections';
import { checkUrls } from './checkUrls';
import { lastEntry, RemoteBlock, sectionEntries } from '../remoteModel';
import { resolveConfig, type ReadGroup } from '../resolved';
import { parseRefSpec, refNameProblem } from '../refspec';
import { parseJGitInt } from '../values';

/** What every remote's rules read from the rest of the file: cluster mode and the global batch size. */
export interface RemoteRulesInput {
  clusterMode: boolean;
  distribution: Entry | undefined;
  globalBatch: Entry | undefined;
}

export function remoteRulesInput(c: CheckContext): RemoteRulesInput {
  const distribution = lastEntry(sectionEntries(c.parsed, 'replication'), 'distributionInterval');
  const interval = distribution ? parseJGitInt(jgitRawOf(c.parsed, distribution), 'replication.distributionInterval') : undefined;
  return { clusterMode: interval?.ok === true && interval.value > 0, distribution, globalBatch: lastEntry(sectionEntries(c.parsed, 'gerrit'), 'pushBatchSize') };
}

export function checkRemotes(c: CheckContext): void {
  const input = remoteRulesInput(c);
  for (const r of resolveConfig(c.parsed, c.kind, c.site.fanoutRemote).remotes) checkRemote(c, r, input);
  checkGlobalBatch(c, input);
}

/** One remote's rules: its own entries, plus `input` (the [replication] and [gerrit] keys they read). */
export function checkRemote(outer: CheckContext, r: ReadGroup, { clusterMode, globalBatch, distribution }: RemoteRulesInput): void {
  // With etc/replication/ present the plugin drops these remotes before parsing them.
  const c = outer.remotesIgnored ? ignoredRemoteContext(outer) : outer;
  const doc = c.parsed;
  // Entries by number: an Entry object is built only for what gets reported.
  let fetch: number[] | undefined;
  let hasUrl = false;
  for (let j = 0; j < r.size; j++) {
    const i = r.index(j);
    const key = doc.keyOf(i);
    if (key === 'url') hasUrl = true;
    else if (key === 'push') checkRefspec(c, i, 'push');
    else if (key === 'fetch') (fetch ??= []).push(i);
  }
  if (fetch) {
    c.report('remote-fetch-ignored', doc.entry(fetch[0]).keySpan, `remote '${r.name}' has fetch, so the plugin ignores the whole remote: "Ignore '${r.name}' endpoint: not a 'push' target". Remove fetch to replicate to it.`);
  }
  if (!hasUrl && !c.included?.get(r.name)?.urls.length) {
    const s = r.sections[0];
    c.report('remote-no-url', s.header, `${headerText(s)} has no url: the plugin skips this remote silently.`);
  }
  for (const i of fetch ?? []) checkRefspec(c, i, 'fetch');
  checkUrls(c, r);
  if (clusterMode) checkBatching(c, r, globalBatch, distribution!);
}

/** gerrit.pushBatchSize with cluster mode on and no remote at all. */
export function checkGlobalBatch(outer: CheckContext, { clusterMode, globalBatch, distribution }: RemoteRulesInput): void {
  const c = outer.remotesIgnored ? ignoredRemoteContext(outer) : outer;
  if (clusterMode && resolveConfig(c.parsed, c.kind, c.site.fanoutRemote).remotes.length === 0 && globalBatch) {
    const b = parseJGitInt(jgitRawOf(c.parsed, globalBatch), 'gerrit.pushBatchSize');
    if (b.ok && b.value > 0) {
      c.report('batch-with-distribution', globalBatch.valueSpan ?? globalBatch.keySpan, `gerrit.pushBatchSize has no effect while replication.distributionInterval is set: every remote pushes in one batch.`, {
        related: [{ span: distribution!.span, message: 'cluster replication is on here' }],
      });
    }
  }
}

function checkBatching(c: CheckContext, r: RemoteBlock, globalBatch: Entry | undefined, distribution: Entry): void {
  const own = lastEntry(r.entries, 'pushBatchSize');
  const e = own ?? globalBatch;
  if (!e) return;
  const b = parseJGitInt(jgitRawOf(c.parsed, e), own ? 'remote.pushBatchSize' : 'gerrit.pushBatchSize');
  if (!b.ok || b.value <= 0) return;
  c.report(
    'batch-with-distribution',
    e.valueSpan ?? e.keySpan,
    `The plugin turns batching off for remote '${r.name}': "Push in batches cannot be turned on for remote (${r.name}) when 'Cluster Replication' (replication.distributionInterval) is configured".`,
    { related: [{ span: distribution.span, message: 'cluster replication is on here' }] },
  );
}

// Refspec values that gave no diagnostic, per key: a big file repeats the same few refspecs.
const CLEAN_REFSPECS = { push: new Set<string>(), fetch: new Set<string>() };

function checkRefspec(c: CheckContext, i: number, key: 'push' | 'fetch'): void {
  const v = c.parsed.valueOf(i) ?? '';
  const clean = CLEAN_REFSPECS[key];
  if (clean.has(v)) return;
  const before = c.reported();
  checkRefspecValue(c, c.parsed.entry(i), key, v);
  if (c.reported() === before) {
    if (clean.size >= 10_000) clean.clear(); // bounded
    clean.add(v);
  }
}

function checkRefspecValue(c: CheckContext, e: Entry, key: 'push' | 'fetch', v: string): void {
  const span = e.valueSpan ?? e.keySpan;
  const r = parseRefSpec(v);
  if (!r.ok) {
    let hint = '';
    let fixes;
    if (r.kind === 'wildcards') {
      const body = v.replace(/^\+/, '');
      if (!body.includes(':') && e.valueSpan) {
        const fixed = `${v}:${body}`;
        hint = ` A wildcard refspec needs a destination with a wildcard too: ${fixed}.`;
        fixes = [{ title: `Write ${fixed}`, edits: [{ range: c.range(e.valueSpan), newText: fixed }], preferred: true }];
      } else hint = ' Either both sides have one * or neither does.';
    } else if (r.kind === 'refspec') hint = ' Ref names cannot start or end with / or contain //, and each side has at most one *.';
    c.report('invalid-refspec', span, `${r.error} — JGit rejects this ${key} refspec, so the plugin fails to load.${hint}`, { fixes });
    return;
  }
  for (const name of [r.spec.src, r.spec.dst]) {
    if (name === null) continue;
    const problem = refNameProblem(name);
    if (problem) {
      c.report('refspec-bad-ref-name', span, `'${name}' is not a valid ref name (${problem}): JGit loads it, but git rejects it and every push with this refspec fails.`);
      break;
    }
  }
  if (key === 'push' && !r.spec.matching && !r.spec.negative && r.spec.src === null && r.spec.dst) {
    c.report('refspec-deletes', span, `An empty source deletes ${r.spec.dst} on the remote at every push of every project.`);
  }
}
