// Typed calls to the server's engine requests (server/src/protocol.ts). No vscode import: the
// sender is the language client's sendRequest, or a fake in tests. The site comes from the
// settings at call time, so a changed setting applies to the next request.
import {
  Methods, PlanParams, PlanResult, ProjectSummary, QueueSnapshot, RemoteSummary, StartParams, StartResult,
} from '../../server/src/protocol';

export type Send = (method: string, params: unknown, token?: unknown) => Promise<unknown>;

export class EngineApi {
  constructor(private readonly send: Send, private readonly site: () => string | undefined) {}

  private withSite<T extends object>(p: T): T & { site?: string } {
    const site = this.site();
    return site ? { site, ...p } : { ...p };
  }

  plan(p: PlanParams = {}, token?: unknown): Promise<PlanResult> {
    return this.send(Methods.plan, this.withSite(p), token) as Promise<PlanResult>;
  }
  start(p: StartParams, token?: unknown): Promise<StartResult> {
    return this.send(Methods.start, this.withSite(p), token) as Promise<StartResult>;
  }
  queue(): Promise<QueueSnapshot> {
    return this.send(Methods.queue, this.withSite({})) as Promise<QueueSnapshot>;
  }
  cancel(p: { taskIds?: string[]; all?: boolean }): Promise<{ cancelled: number }> {
    return this.send(Methods.cancel, this.withSite(p)) as Promise<{ cancelled: number }>;
  }
  retry(p: { taskIds?: string[]; failed?: boolean }): Promise<{ retried: number }> {
    return this.send(Methods.retry, this.withSite(p)) as Promise<{ retried: number }>;
  }
  remotes(): Promise<RemoteSummary[]> {
    return this.send(Methods.remotes, this.withSite({})) as Promise<RemoteSummary[]>;
  }
  projects(): Promise<ProjectSummary[]> {
    return this.send(Methods.projects, this.withSite({})) as Promise<ProjectSummary[]>;
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

/** A short, user-facing text for an engine error (method missing while the engine is not built in, etc.). */
export function engineErrorText(err: unknown): string {
  const e = err as { code?: number; message?: string };
  if (e && e.code === -32601) return 'the language server has no replication engine (method not found)';
  // vscode-languageclient wraps the server's message; the wrapper says nothing to a user.
  return String(e?.message ?? err).replace(/^Request \S+ failed with message: /, '');
}
