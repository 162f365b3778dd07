// Typed calls to the server's engine requests (server/src/protocol.ts). No vscode import: the
// sender is the language client's sendRequest, or a fake in tests. The site comes from the
// settings at call time, so a changed setting applies to the next request.
import {
  Requests, type CancelParams, type ConnectionTest, type DismissParams, type EngineErrorCode, type ExplainParams, type ExplainResult, type PlanParams,
  type PlanResult, type ProjectSummary, type QueueSnapshot, type ReloadPreview, type ReloadPreviewParams, type RemoteSummary, type RequestSpec, type RetryParams, type StartParams, type StartResult,
  type StatusParams, type StatusResult, type TestConnectionParams,
} from '../../server/src/protocol';

/** Sends one request of the protocol; params and result are typed by its spec. */
export type Send = <P, R>(spec: RequestSpec<P, R>, params: P, token?: unknown) => Promise<R>;

export class EngineApi {
  constructor(private readonly send: Send, private readonly site: () => string | undefined) {}

  private withSite<T extends object>(p: T): T & { site?: string } {
    const site = this.site();
    return site ? { site, ...p } : { ...p };
  }

  plan(p: PlanParams = {}, token?: unknown): Promise<PlanResult> {
    return this.send(Requests.plan, this.withSite(p), token);
  }
  start(p: StartParams, token?: unknown): Promise<StartResult> {
    return this.send(Requests.start, this.withSite(p), token);
  }
  queue(): Promise<QueueSnapshot> {
    return this.send(Requests.queue, this.withSite({}));
  }
  cancel(p: Omit<CancelParams, 'site'>): Promise<{ cancelled: number }> {
    return this.send(Requests.cancel, this.withSite(p));
  }
  dismiss(p: Omit<DismissParams, 'site'>): Promise<{ dismissed: number }> {
    return this.send(Requests.dismiss, this.withSite(p));
  }
  retry(p: Omit<RetryParams, 'site'>): Promise<{ retried: number }> {
    return this.send(Requests.retry, this.withSite(p));
  }
  remotes(): Promise<RemoteSummary[]> {
    return this.send(Requests.remotes, this.withSite({}));
  }
  projects(): Promise<ProjectSummary[]> {
    return this.send(Requests.projects, this.withSite({}));
  }
  status(p: Omit<StatusParams, 'site'> = {}): Promise<StatusResult> {
    return this.send(Requests.status, this.withSite(p));
  }
  explain(p: Omit<ExplainParams, 'site'>): Promise<ExplainResult> {
    return this.send(Requests.explain, this.withSite(p));
  }
  testConnection(p: Omit<TestConnectionParams, 'site'>): Promise<ConnectionTest[]> {
    return this.send(Requests.testConnection, this.withSite(p));
  }
  reloadPreview(p: Omit<ReloadPreviewParams, 'site'>): Promise<ReloadPreview> {
    return this.send(Requests.reloadPreview, this.withSite(p));
  }
}

/**
 * Where a set of started tasks stands. A task that left the queue succeeded; `failed` ones
 * failed for good; a retrying task is still followed (a push to a freshly created repository is
 * retried once, as in Gerrit) until its second retry, then it counts as `retrying` (the host
 * is likely down; the Queue view keeps it). done: nothing is left to wait for.
 */
export function settled(snap: QueueSnapshot, taskIds: string[]): { done: boolean; failed: string[]; retrying: string[]; active: number } {
  const byId = new Map(snap.tasks.map((t) => [t.id, t]));
  let active = 0;
  const failed: string[] = [];
  const retrying: string[] = [];
  for (const id of taskIds) {
    const t = byId.get(id);
    if (!t) continue;
    if (t.state === 'failed') failed.push(id);
    else if (t.state === 'retrying' && t.retries >= 2) retrying.push(id);
    else active++;
  }
  return { done: active === 0, failed, retrying, active };
}

const CODES: readonly EngineErrorCode[] = ['config-refused', 'untrusted', 'engine-off', 'no-site', 'usage', 'failed'];

/** The protocol's reason for a failed engine request (the error's data.code), if it has one. */
export function engineErrorCode(err: unknown): EngineErrorCode | undefined {
  const code = (err as { data?: { code?: unknown } } | undefined)?.data?.code;
  return CODES.find((c) => c === code);
}

/** A short, user-facing text for an engine error (method missing while the engine is not built in, etc.). */
export function engineErrorText(err: unknown): string {
  const e = err as { code?: number; message?: string };
  if (e && e.code === -32601) return 'the language server has no replication engine (method not found)';
  // vscode-languageclient wraps the server's message; the wrapper says nothing to a user.
  return String(e?.message ?? err).replace(/^Request \S+ failed with message: /, '');
}
