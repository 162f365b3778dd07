// The server's end of the connection, chosen from argv (--stdio, --node-ipc, --socket=N,
// --pipe=NAME). Byte streams are read with the strict frame parser (frames.ts): a malformed frame
// ends the process with a message on stderr, so the editor sees a crash it can restart instead of
// a server that is alive but answers nothing. Every transport passes through the lifecycle gate:
// before initialize, requests get ServerNotInitialized and notifications other than exit are dropped.
import {
  AbstractMessageReader, Disposable, ErrorCodes, IPCMessageReader, IPCMessageWriter, StreamMessageWriter,
} from 'vscode-languageserver/node';
import type { DataCallback, Message, MessageReader, MessageWriter, ResponseMessage } from 'vscode-languageserver/node';
import { createConnection as netConnect } from 'node:net';
import { writeSync } from 'node:fs';
import { FrameError, FrameParser } from './frames';

/**
 * A frame begun and then left unfinished this long (no byte arriving) is a broken stream: a
 * Content-Length longer than the body would otherwise hold the next requests for ever.
 * GIT_REPLICATION_FRAME_STALL_MS shortens it for tests.
 */
export const FRAME_STALL_MS = Number(process.env.GIT_REPLICATION_FRAME_STALL_MS) > 0 ? Number(process.env.GIT_REPLICATION_FRAME_STALL_MS) : 30_000;

/** LSP's ServerNotInitialized (not in vscode-jsonrpc's ErrorCodes). */
export const SERVER_NOT_INITIALIZED = -32002;

type Answer = (response: ResponseMessage) => void;
/** What to do when the stream can no longer be read in step. */
export type Fatal = (reason: string) => void;

const errorResponse = (id: ResponseMessage['id'], code: number, message: string): ResponseMessage =>
  ({ jsonrpc: '2.0', id, error: { code, message } });

/** Report a broken stream and exit (status 2); the client's restart logic takes it from there. */
export function exitOnFatal(reason: string): void {
  writeSync(2, `git-replication language server: malformed frame from the client: ${reason}. `
    + 'The rest of the stream cannot be read in step, so the server exits (status 2); the client should restart it.\n');
  process.exit(2);
}

/**
 * JSON-RPC messages from a byte stream. A body that is not JSON is answered with a parse error
 * (its frame was sound, so the stream is still in step); a broken frame is fatal.
 */
export class StrictStreamReader extends AbstractMessageReader {
  private readonly decoder = new TextDecoder('utf-8');

  constructor(private readonly stream: NodeJS.ReadableStream, private readonly answer: Answer, private readonly fatal: Fatal = exitOnFatal) {
    super();
    stream.on('error', (err: Error) => this.fireError(err));
    stream.on('end', () => this.fireClose());
    stream.on('close', () => this.fireClose());
  }

  listen(callback: DataCallback): Disposable {
    const parser = new FrameParser();
    let stall: ReturnType<typeof setTimeout> | undefined;
    const stop = (reason: string) => {
      clearTimeout(stall);
      this.stream.off('data', onData);
      this.fatal(reason);
    };
    const onData = (chunk: Buffer | string) => {
      clearTimeout(stall);
      try {
        parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, (body) => this.deliver(body, callback));
      } catch (err) {
        if (!(err instanceof FrameError)) throw err;
        stop(err.message);
        return;
      }
      if (parser.midFrame) {
        stall = setTimeout(() => stop(`a frame stopped arriving: ${parser.buffered} bytes of it came, then nothing for ${FRAME_STALL_MS / 1000} s`), FRAME_STALL_MS);
        stall.unref();
      }
    };
    this.stream.on('data', onData);
    return Disposable.create(() => {
      clearTimeout(stall);
      this.stream.off('data', onData);
    });
  }

  private deliver(body: Buffer, callback: DataCallback) {
    let msg: unknown;
    try {
      msg = JSON.parse(this.decoder.decode(body));
    } catch {
      // JSON.parse's message quotes the text, which may be a document: say only how big it was.
      writeSync(2, `git-replication language server: ignored a ${body.length}-byte message that is not JSON\n`);
      this.answer(errorResponse(null, ErrorCodes.ParseError, 'Parse error: the message body is not JSON'));
      return;
    }
    callback(msg as Message);
  }
}

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null && !Array.isArray(m);
const validId = (id: unknown): id is number | string => typeof id === 'number' || typeof id === 'string';

/**
 * Holds back what LSP says a server must not act on yet: before the initialize request, a
 * request is answered with ServerNotInitialized and a notification other than exit is dropped.
 * Anything that is not a JSON-RPC object is answered with InvalidRequest, on every transport.
 */
export class LifecycleGate implements MessageReader {
  private initialized = false;
  /** A shutdown request has come: the end of the stream is then a clean exit. */
  shutdownSeen = false;

  constructor(private readonly inner: MessageReader, private readonly answer: Answer) {}

  get onError() {
    return this.inner.onError;
  }
  get onClose() {
    return this.inner.onClose;
  }
  get onPartialMessage() {
    return this.inner.onPartialMessage;
  }
  dispose() {
    this.inner.dispose();
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((m: unknown) => {
      if (!isObject(m)) {
        this.answer(errorResponse(null, ErrorCodes.InvalidRequest, 'Invalid request: not a JSON-RPC message object'));
        return;
      }
      const method = typeof m.method === 'string' ? m.method : undefined;
      if (method === 'shutdown') this.shutdownSeen = true;
      if (!this.initialized) {
        if (method === 'initialize') this.initialized = true;
        else if (method !== undefined && 'id' in m) {
          this.answer(errorResponse(validId(m.id) ? m.id : null, SERVER_NOT_INITIALIZED, `the server is not initialized: '${method.slice(0, 100)}' before 'initialize'`));
          return;
        } else if (method !== 'exit') return;
      }
      callback(m as unknown as Message);
    });
  }
}

export interface ServerTransport {
  reader: LifecycleGate;
  writer: MessageWriter;
}

/** The value of `--name=V` or `--name V` in argv. */
function argValue(argv: string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === name) return argv[i + 1];
    if (argv[i].startsWith(`${name}=`)) return argv[i].slice(name.length + 1);
  }
  return undefined;
}

/** The reader and writer the server's argv asks for; a byte stream's end ends the process. */
export function serverTransport(argv: string[] = process.argv.slice(2), fatal: Fatal = exitOnFatal): ServerTransport {
  if (argv.includes('--node-ipc')) {
    const writer = new IPCMessageWriter(process);
    return { reader: new LifecycleGate(new IPCMessageReader(process), (r) => void writer.write(r)), writer };
  }
  let input: NodeJS.ReadableStream;
  let output: NodeJS.WritableStream;
  const port = argValue(argv, '--socket');
  const pipe = argValue(argv, '--pipe');
  if (argv.includes('--stdio')) {
    input = process.stdin;
    output = process.stdout;
  } else if (port !== undefined && /^\d+$/.test(port)) {
    input = output = netConnect(Number(port), '127.0.0.1');
  } else if (pipe) {
    input = output = netConnect(pipe);
  } else {
    throw new Error("no transport: start the server with '--stdio', '--node-ipc', '--socket=PORT' or '--pipe=NAME'");
  }
  const writer = new StreamMessageWriter(output);
  const reader = new LifecycleGate(new StrictStreamReader(input, (r) => void writer.write(r), fatal), (r) => void writer.write(r));
  // The client closed its end: exit as LSP's exit notification would.
  reader.onClose(() => process.exit(reader.shutdownSeen ? 0 : 1));
  return { reader, writer };
}
