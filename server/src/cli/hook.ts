// `git-replication hook post-receive`: run by git in a project's repository after a push. It
// reads `old new ref` lines, stores one task per URL in the site's task store and returns at
// once; the daemon pushes them. `hook install` writes the hook into the site's repositories.
// git waits for the hook on every push, so post-receive reads the site and writes the tasks
// without the engine facade (queue, transports, child processes) or a stdin stream, and the
// engine for `install` is required only when it runs.
import { masked } from './maskedIo';
import { chmodSync, existsSync, fstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs, UsageError } from './args';
import { openSite, siteDir, type Io } from './siteOption';
import { projectDir } from '../engine/site/loadSite';
import { Destination } from '../engine/site/destinations';
import { targetsOf } from '../engine/site/targets';
import { unsafeProjectName } from '../engine/transport/safety';
import { StoreWriteError, TaskStore } from '../engine/queue/taskStore';
import { storeTasksFor } from '../engine/queue/storeTasks';

export const HOOK_USAGE = `usage: git-replication hook post-receive [--site DIR]
       git-replication hook install [--site DIR] [PROJECT...]
  post-receive: reads 'old new ref' lines on stdin (run by git with GIT_DIR set), stores the
  replication tasks for the pushed refs and returns at once; 'git-replication daemon' pushes them.
  install: writes hooks/post-receive into every project of the site (or the named ones), calling
  this program with the site's path. An existing hook that is not ours is left alone.
  A task that cannot be stored (full or read-only store) makes the hook exit 1 with the command
  to run once the store is writable. install names each project it refuses, with the reason.
  Exit: 0 stored / installed, 1 config errors, unknown or refused repository, a hook left alone
        or a task not stored, 2 usage error.`;

const MARK = '# installed by git-replication';

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

async function runHook(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  const { flags, positionals } = parseArgs(rest, { site: 'string', help: 'bool' });
  if (sub === '--help' || sub === '-h' || flags.help) {
    io.out(HOOK_USAGE);
    return 0;
  }
  if (sub === 'post-receive') return postReceive(flags.site, io);
  if (sub === 'install') return install(flags.site, positionals, io);
  throw new UsageError(sub ? `unknown hook command '${sub}'` : 'hook needs post-receive or install');
}

/** stdin to its end; '' from a terminal. A plain read: process.stdin loads the stream modules. */
async function readStdin(): Promise<string> {
  try {
    if (fstatSync(0).isCharacterDevice()) return ''; // a terminal (or /dev/null)
    return readFileSync(0, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
  }
  // A non-blocking pipe (the parent set O_NONBLOCK): read it as a stream.
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function postReceive(siteFlag: unknown, io: Io): Promise<number> {
  const site = openSite(siteFlag, io);
  if (!site) return 1;
  const gitDir = resolve(process.env.GIT_DIR ?? '.');
  const rel = relative(site.basePath, gitDir);
  if (rel === '' || rel.startsWith('..') || resolve(site.basePath, rel) !== gitDir) {
    io.err(`git-replication: ${gitDir} is not below the site's basePath ${site.basePath}; nothing stored`);
    return 1;
  }
  const project = rel.split(sep).join('/').replace(/\.git$/, '');
  const bad = unsafeProjectName(project);
  if (bad) {
    io.err(`git-replication: ${bad}`);
    return 1;
  }
  const refs: string[] = [];
  for (const line of (await readStdin()).split('\n')) {
    const m = /^[0-9a-f]{40,64} [0-9a-f]{40,64} (\S+)$/.exec(line.trim());
    if (m && !refs.includes(m[1])) refs.push(m[1]);
  }
  if (refs.length === 0) return 0;
  // As the engine would (Engine.storeTasks), with its log: the hook prints none of it.
  const store = new TaskStore(site.eventsDir, { log: () => {} });
  const dests = site.remotes.map((r) => new Destination(r));
  try {
    storeTasksFor(store, targetsOf(dests, {}, [project], () => {}), refs);
  } catch (e) {
    if (!(e instanceof StoreWriteError)) throw e;
    // The push itself went through; the replication of it must not be lost without a word.
    const arg = /^[A-Za-z0-9._/+-]+$/.test(project) ? project : shellQuote(project);
    io.err(
      `git-replication: could not store the replication task(s) for ${project}: stored ${e.stored} of ${e.total} (${e.message}). ` +
        `Once the task store ${store.waiting} is writable again, run: git-replication start --site ${shellQuote(site.dir)} ${arg}`,
    );
    return 1;
  }
  return 0;
}

async function install(siteFlag: unknown, only: string[], io: Io): Promise<number> {
  const { openEngine } = require('./openEngine') as typeof import('./openEngine');
  const engine = openEngine(siteFlag, io);
  if (!engine) return 1;
  const dir = siteDir(siteFlag);
  let code = 0;
  if (!only.length)
    for (const r of engine.scan().refused) {
      io.err(`error: refused project ${r.project}: ${r.reason}; no hook installed`);
      code = 1;
    }
  const projects = only.length ? only : engine.projects();
  const cli = resolve(process.argv[1] ?? __filename);
  const script = `#!/bin/sh\n${MARK}\nexec ${shellQuote(process.execPath)} ${shellQuote(cli)} hook post-receive --site ${shellQuote(dir)}\n`;
  for (const p of projects) {
    const repo = projectDir(engine.site.basePath, p);
    const bad = unsafeProjectName(p);
    if (bad) {
      io.err(`error: refused project ${p}: ${bad}; no hook installed`);
      code = 1;
      continue;
    }
    if (!existsSync(repo)) {
      io.err(`no such project: ${p}`);
      code = 1;
      continue;
    }
    const hooks = join(repo, 'hooks');
    mkdirSync(hooks, { recursive: true });
    const hook = join(hooks, 'post-receive');
    if (existsSync(hook) && !readFileSync(hook, 'utf8').includes(MARK)) {
      io.err(`${hook} exists and was not written by git-replication; left alone`);
      code = 1;
      continue;
    }
    writeFileSync(hook, script);
    chmodSync(hook, 0o755);
    io.out(`installed ${hook}`);
  }
  return code;
}

/** The command, printing through the one mask (cli/maskedIo). */
export const hookCommand = masked(runHook);
