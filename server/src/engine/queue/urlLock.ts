// Cluster mode (replication.distributionInterval): one push per URL across every node sharing
// the task store. A push holds an exclusive flock(2) on eventsDirectory/url-locks/<sha1 of URL>,
// a directory of our own beside Gerrit's ref-updates/. The kernel releases it when the last
// process holding the lock's open file ends, so a node killed with kill -9 never leaves it
// stale; and its `git push` children inherit the descriptor (fd 3), so a push that outlives its
// node keeps the URL locked until it is really over. Node has no flock: util-linux's `flock`
// locks the descriptor this process opened (`flock -n 3`), and the lock stays with that open
// file after flock exits. The files are never deleted (deleting a lock file races its users).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

export const URL_LOCK_DIR = 'url-locks';
/** flock's exit code for "held by someone else" (EX_TEMPFAIL), set with -E. */
const BUSY = 75;

export interface UrlLock {
  /** The descriptor a push passes to git, which keeps the lock while git runs. */
  readonly fd: number;
  release(): void;
}

export type LockAttempt = { held: UrlLock } | { busy: true } | { error: string };

function flock(fd: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('flock', [...args, '3'], { stdio: ['ignore', 'ignore', 'pipe', fd] });
    let stderr = '';
    child.stderr!.on('data', (b) => (stderr += b));
    child.on('error', (e) => resolve({ code: null, stderr: e.message }));
    child.on('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

export class UrlLocks {
  readonly dir: string;

  constructor(eventsDir: string) {
    this.dir = join(eventsDir, URL_LOCK_DIR);
  }

  pathOf(url: string): string {
    return join(this.dir, createHash('sha1').update(url, 'utf8').digest('hex'));
  }

  /** Take the URL's lock without waiting: held, busy (another node pushes it), or an error. */
  async tryLock(url: string): Promise<LockAttempt> {
    let fd: number;
    try {
      mkdirSync(this.dir, { recursive: true });
      fd = openSync(this.pathOf(url), constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK, 0o600);
    } catch (e) {
      return { error: `cannot open the URL lock ${this.pathOf(url)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
    const r = await flock(fd, ['--exclusive', '--nonblock', '--conflict-exit-code', String(BUSY)]);
    if (r.code === 0) {
      let open = true;
      return {
        held: {
          fd,
          release: () => {
            if (open) closeSync(fd);
            open = false;
          },
        },
      };
    }
    closeSync(fd);
    if (r.code === BUSY) return { busy: true };
    return { error: `cannot lock ${this.pathOf(url)} with flock: ${r.stderr || `exit ${r.code}`}` };
  }
}

/** Can this machine take URL locks (util-linux flock installed)? The reason when it cannot. */
export async function urlLocksUnavailable(eventsDir: string): Promise<string | undefined> {
  const r = await new UrlLocks(eventsDir).tryLock('git-replication:probe');
  if ('held' in r) {
    r.held.release();
    return undefined;
  }
  return 'busy' in r ? undefined : r.error;
}
