// The output of Gerrit's `replication start --wait` (PushResultProcessing.CommandProcessing):
// one line per ref and URL, one per ref when all its URLs are done, then a summary.
import type { PushListener, PushOp, RefOutcome } from './queue';
import { nodeName } from '../site/urls';
import { displayUrl } from '../transport/invocation';

export class StartReport implements PushListener {
  private done = 0;
  private failed = false;
  private readonly nodes = new Map<string, number>();
  private resolve!: () => void;
  readonly finished = new Promise<void>((r) => (this.resolve = r));
  private total = -1;

  constructor(
    private readonly out: (line: string) => void,
    private readonly progress?: (done: number, total: number) => void,
  ) {}

  /** Call once every push is scheduled, with how many there are. */
  expect(total: number): void {
    this.total = total;
    if (this.done >= total) this.finish();
  }

  onPushDone(_op: PushOp, outcomes: RefOutcome[]): void {
    for (const o of outcomes) {
      const word = o.result === 'SUCCEEDED' ? 'Succeeded!' : o.result === 'FAILED' ? 'FAILED!' : 'NOT ATTEMPTED!';
      if (o.result === 'FAILED') this.failed = true;
      this.out(`Replicate ${o.project} refs ${o.ref} to ${nodeName(displayUrl(o.url))}, ${word} (${o.status ?? 'unknown'})`);
      const k = `${o.project}\0${o.ref}`;
      this.nodes.set(k, (this.nodes.get(k) ?? 0) + 1);
    }
    this.done++;
    this.progress?.(this.done, this.total);
    if (this.total >= 0 && this.done >= this.total) this.finish();
  }

  private finish(): void {
    for (const [k, n] of this.nodes) {
      const [project, ref] = k.split('\0');
      this.out(`Replication of ${project} ref ${ref} completed to ${n} nodes, `);
    }
    if (this.total > 0) {
      this.out('----------------------------------------------');
      this.out(this.failed ? 'Replication completed with some errors!' : 'Replication completed successfully!');
    }
    this.resolve();
  }

  get ok(): boolean {
    return !this.failed;
  }
}
