// One daemon per task store. The lock is a listening Unix socket in the abstract namespace,
// named after the store: the kernel releases it the moment its process dies, so it cannot go
// stale the way a pid file does (a dead daemon left as a zombie, or its pid reused by another
// process, both looked alive to kill(pid, 0)). Whoever connects is told who holds it.
// Abstract sockets belong to a network namespace: daemons in separate namespaces (cluster nodes)
// do not exclude each other, which is what Gerrit's cluster mode wants.
import { createConnection, createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { storeId } from '../transport/gitOwner';

export function lockName(eventsDir: string): string {
  return `git-replication-daemon-${storeId(eventsDir)}`;
}

export type InstanceLock = { ok: true; release: () => void } | { ok: false; holder: string };

function listen(name: string, info: string): Promise<Server | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = createServer((sock) => {
      sock.on('error', () => {});
      sock.end(`${info}\n`);
    });
    server.once('error', (e: NodeJS.ErrnoException) => resolve(e));
    server.listen(`\0${name}`, () => {
      server.removeAllListeners('error');
      server.on('error', () => {});
      server.unref();
      resolve(server);
    });
  });
}

/** What the holder says about itself ('' when it cannot be asked, as while it exits). */
function ask(name: string, timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const sock = createConnection(`\0${name}`);
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on('data', (b) => (text += b.toString('utf8')));
    sock.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(text.trim());
    });
  });
}

/** Takes the store's lock, or says who holds it. `info` is what a second daemon is told. */
export async function acquireInstanceLock(eventsDir: string, info: string): Promise<InstanceLock> {
  const name = lockName(eventsDir);
  for (let attempt = 0; attempt < 5; attempt++) {
    const r = await listen(name, info);
    if (!(r instanceof Error)) return { ok: true, release: () => r.close() };
    if (r.code !== 'EADDRINUSE') return { ok: false, holder: `cannot take the daemon lock: ${r.message}` };
    const holder = await ask(name);
    if (holder !== undefined) return { ok: false, holder: holder || 'a process that did not say who it is' };
    await new Promise((res) => setTimeout(res, 100)); // the holder was just exiting: try again
  }
  return { ok: false, holder: 'a process that holds the lock but does not answer' };
}

/**
 * Cluster mode: a node takes no store-wide lock (several daemons share the store), but still
 * listens on a socket of its own, `NAME-node-PID`, so `start` and `plan` see that a daemon runs.
 */
export async function announceNode(eventsDir: string, info: string): Promise<{ release: () => void } | undefined> {
  const r = await listen(`${lockName(eventsDir)}-node-${process.pid}`, info);
  return r instanceof Error ? undefined : { release: () => r.close() };
}

/** Does a daemon (or a cluster node) hold this store's lock in this network namespace? Read from /proc/net/unix. */
export function instanceLockHeld(eventsDir: string): boolean {
  try {
    const want = `@${lockName(eventsDir)}`;
    // Columns: Num RefCount Protocol Flags Type St Inode Path; a listening socket has flag 00010000.
    return readFileSync('/proc/net/unix', 'utf8')
      .split('\n')
      .some((l) => {
        const cols = l.trim().split(/\s+/);
        // Node pads an abstract name with NULs to the full sun_path; /proc shows them as '@'.
        const name = cols[7]?.replace(/@+$/, '');
        return cols[3] === '00010000' && name !== undefined && (name === want || name.startsWith(`${want}-node-`));
      });
  } catch {
    return false;
  }
}
