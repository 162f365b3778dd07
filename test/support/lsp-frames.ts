// Raw access to the real server's stdio stream, byte for byte: for tests that send frames no
// well-behaved client library would write (bad Content-Length, endless headers, torn bodies).
import { ChildProcess, spawn } from 'node:child_process';
import { SERVER } from './helpers';
import { Waiters } from './waiters';

export interface RawMessage {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

/** The bytes of one well-formed frame carrying `body` (an object is JSON-encoded). */
export function frame(body: unknown): Buffer {
  const b = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`), b]);
}

export class RawServer {
  readonly child: ChildProcess;
  readonly messages: RawMessage[] = [];
  stderr = '';
  exitCode: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;
  private pending = Buffer.alloc(0);
  private readonly waiters = new Waiters();
  private nextId = 1000;

  constructor(args: string[] = ['--stdio'], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(process.execPath, [SERVER, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stdout!.on('data', (d: Buffer) => this.onData(d));
    this.child.stderr!.on('data', (d) => {
      this.stderr += d;
      this.wake();
    });
    // A write to a server that already exited is the very thing some tests provoke.
    this.child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
      resolve(code);
    }));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  write(bytes: Buffer | string) {
    if (this.alive) this.child.stdin!.write(bytes);
  }

  send(body: unknown) {
    this.write(frame(body));
  }

  /** Send a request; resolve with its response (or reject after `ms`: a hang detector, generous
   *  because a loaded machine answered an initialize after more than 5 s). */
  async request(method: string, params: unknown, ms = 30_000): Promise<RawMessage> {
    const id = this.nextId++;
    this.send({ jsonrpc: '2.0', id, method, params });
    return this.waitFor(`response to ${method} #${id}`, () => this.messages.find((m) => m.id === id && !m.method), ms);
  }

  notify(method: string, params: unknown) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  async initialize(): Promise<RawMessage> {
    const r = await this.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: { diagnosticsDelay: 0 } });
    this.notify('initialized', {});
    return r;
  }

  waitFor<T>(what: string, pred: () => T | undefined | false, ms = 30_000): Promise<T> {
    return this.waiters.waitFor(what, pred, ms, () => ` (alive: ${this.alive}); stderr:\n${this.stderr.slice(-2000)}`);
  }

  /** Resolve with the exit code, or reject if the process is still running after `ms`. */
  waitExit(ms = 30_000): Promise<number | null> {
    return this.waitFor('the server to exit', () => (this.exitCode !== undefined ? { code: this.exitCode } : undefined), ms).then((r) => r.code);
  }

  kill() {
    if (this.alive) {
      try {
        process.kill(this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private wake() {
    this.waiters.wake();
  }

  // The server's output is parsed leniently: it is the thing under test, not the test's parser.
  private onData(d: Buffer) {
    this.pending = Buffer.concat([this.pending, d]);
    for (;;) {
      const end = this.pending.indexOf('\r\n\r\n');
      if (end < 0) break;
      const m = /Content-Length: *(\d+)/i.exec(this.pending.subarray(0, end).toString('ascii'));
      if (!m) throw new Error(`server wrote a frame without Content-Length: ${this.pending.subarray(0, 200)}`);
      const len = Number(m[1]);
      if (this.pending.length < end + 4 + len) break;
      this.messages.push(JSON.parse(this.pending.subarray(end + 4, end + 4 + len).toString('utf8')));
      this.pending = this.pending.subarray(end + 4 + len);
    }
    this.wake();
  }
}
