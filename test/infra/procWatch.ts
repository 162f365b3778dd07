// Records the command line of every process that exists while a test runs, by polling
// /proc/*/cmdline from a worker thread (a busy loop there does not stall servers running on
// the test's own event loop). Used to prove that no secret ever appears in any argv.
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

const WORKER = `
const { parentPort } = require('node:worker_threads');
const { readdirSync, readFileSync } = require('node:fs');
const seen = new Map();
let running = true;
let scans = 0;
parentPort.on('message', (m) => { if (m === 'stop') running = false; });
function scan() {
  for (const name of readdirSync('/proc')) {
    if (name < '0' || name > '9') continue;
    let cmd;
    try { cmd = readFileSync('/proc/' + name + '/cmdline'); } catch { continue; }
    if (cmd.length === 0) continue;
    const text = cmd.toString('utf8').split('\\0').filter(Boolean).join(' ');
    seen.set(name + ' ' + text, text);
  }
  scans++;
}
function loop() {
  const until = Date.now() + 20;
  while (running && Date.now() < until) {
    scan();
    if (scans === 1) parentPort.postMessage('ready');
  }
  if (running) setImmediate(loop);
  else parentPort.postMessage({ commandLines: [...new Set(seen.values())], scans });
}
loop();
`;

export interface ProcWatch {
  /** Resolves once the first scan of /proc is done: a worker can take seconds to start on a
   *  loaded machine, and what runs before that goes unseen. */
  ready: Promise<void>;
  /** Stops polling; resolves with every distinct command line seen. */
  stop(): Promise<{ commandLines: string[]; scans: number }>;
}

export function watchProcesses(): ProcWatch {
  const w = new Worker(WORKER, { eval: true });
  const ready = new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return {
    ready,
    stop: () =>
      new Promise((resolve, reject) => {
        const onMessage = (m: unknown) => {
          if (m === 'ready') return;
          w.off('message', onMessage);
          void w.terminate();
          resolve(m as { commandLines: string[]; scans: number });
        };
        w.on('message', onMessage);
        w.once('error', reject);
        w.postMessage('stop');
      }),
  };
}

/** The command lines of the processes alive right now, read synchronously. Taken while a
 *  server holds a request, it sees the client processes for certain, where the polling
 *  watcher above can miss a short-lived one on a loaded machine. */
export function commandLinesNow(): string[] {
  const lines: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmd: Buffer;
    try {
      cmd = readFileSync(`/proc/${name}/cmdline`);
    } catch {
      continue;
    }
    if (cmd.length) lines.push(cmd.toString('utf8').split('\0').filter(Boolean).join(' '));
  }
  return lines;
}
