// Waiting on what a server sends: a predicate is re-checked each time something arrives
// (`wake`), never by polling, and gives up after a time with a message that says what it waited for.
export class Waiters {
  private pending: Array<() => void> = [];

  /** Something arrived: re-check every pending predicate. */
  wake(): void {
    for (const w of this.pending.splice(0)) w();
  }

  /** Resolve with the first truthy value of `pred`, or reject after `ms` with `context()` appended. */
  waitFor<T>(what: string, pred: () => T | undefined | false, ms: number, context: () => string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v) {
          clearTimeout(timer);
          resolve(v);
        } else this.pending.push(check);
      };
      const timer = setTimeout(() => {
        this.pending = this.pending.filter((w) => w !== check);
        reject(new Error(`timed out after ${ms} ms waiting for ${what}${context()}`));
      }, ms);
      check();
    });
  }
}
