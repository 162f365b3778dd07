// Bounded memory between V8's own collections (issue 10, item 4). Five open 4 MB documents hold
// ~100 MB of live heap, and each re-validation of one leaves ~15–25 MB of garbage; V8 lets the
// heap grow to several times its live size before a full collection, so twelve edits took the
// server from 175 MB to 450–580 MB of resident memory. After a piece of big work (a validation,
// a whole-document answer) this collects the heap once it has grown by more than a margin over
// what was live after the last collection: the peak stays near live + growth whatever the load,
// where a hard heap limit would crash the server instead. A collection of ~125 MB of live heap
// takes ~60 ms, once every validation or two of a 4 MB file, after the answer is sent.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const MB = 1024 * 1024;
/** Growth of the heap over the last live size that triggers a collection: an eighth, ≥ 24 MB. */
const growth = (live: number) => Math.max(24 * MB, live / 8);

const used = () => getHeapStatistics().used_heap_size;

/** V8's collector, exposed at run time: the server is started as a plain `node server.js`. */
function collector(): (() => void) | undefined {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export class HeapTrim {
  private readonly gc = collector();
  private live = used();
  private scheduled = false;
  /** Collections run, for the log and the tests. */
  collections = 0;

  /** Big work just ended: collect soon, if the heap grew enough since the last time. */
  afterWork(): void {
    if (!this.gc || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.collectIfGrown();
    });
  }

  private collectIfGrown(): void {
    if (used() <= this.live + growth(this.live)) return;
    this.gc!();
    this.collections++;
    this.live = used();
  }
}
