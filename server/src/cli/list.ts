// `git-replication list`, in the format of Gerrit's `replication list`. Queue details come
// from the task store: running/ is in flight, waiting/ is pending.
import { parseArgs } from './args';
import { openEngine, type Io } from './openEngine';
import type { StoredEntry } from '../engine/queue/taskStore';
import { displayUrl } from '../engine/transport/invocation';

export const LIST_USAGE = `usage: git-replication list [--site DIR] [--remote PATTERN] [--detail] [--json]
  Lists the remotes (name contains PATTERN, or PATTERN matches it as a regex) and their URLs.
  --detail adds admin URLs, auth groups, projects and the queued tasks of the site's store: only
  tasks the engine would run; the others (not regular files, malformed, or a URL, remote or project
  the config does not produce) are counted on a 'Quarantined:' line (stderr with --json).
  --json prints one JSON object per remote. Exit: 0 listed, 1 config errors, 2 usage error.`;

function taskLine(e: StoredEntry): string {
  return `[${e.key.slice(0, 8)}] push ${displayUrl(e.task.uri)} [${e.task.refs.join(' ')}]`;
}

export async function listCommand(argv: string[], io: Io): Promise<number> {
  const { flags } = parseArgs(argv, { site: 'string', remote: 'string', detail: 'bool', json: 'bool', help: 'bool' });
  if (flags.help) {
    io.out(LIST_USAGE);
    return 0;
  }
  const engine = openEngine(flags.site, io, { persist: true });
  if (!engine) return 1;
  const pat = flags.remote as string | undefined;
  let re: RegExp | undefined;
  try {
    re = pat ? new RegExp(`^(?:${pat})$`) : undefined;
  } catch {
    re = undefined;
  }
  // Only tasks the engine would run; files it would quarantine (and those already there) are counted.
  const stored = flags.detail ? engine.storedTasks() : { running: [], waiting: [], quarantined: 0 };
  const { running, waiting } = stored;
  for (const d of engine.dests) {
    if (pat && !d.name.includes(pat) && !re?.test(d.name)) continue;
    const s = d.settings;
    const inFlight = running.filter((e) => e.task.remote === d.name);
    const pending = waiting.filter((e) => e.task.remote === d.name);
    if (flags.json) {
      const o: Record<string, unknown> = { Remote: d.name };
      const add = (k: string, v: string[]) => {
        if (v.length) o[k] = v;
      };
      add('Url', s.urls.map(displayUrl));
      if (flags.detail) {
        add('AdminUrl', s.adminUrls.map(displayUrl));
        add('AuthGroup', s.authGroup);
        add('Project', s.projects);
        add('InFlight', inFlight.map(taskLine));
        add('Pending', pending.map(taskLine));
      }
      io.out(JSON.stringify(o));
      continue;
    }
    const lines = [`Remote: ${d.name}`, ...s.urls.map((u) => `Url: ${displayUrl(u)}`)];
    if (flags.detail) {
      lines.push(...s.adminUrls.map((u) => `AdminUrl: ${displayUrl(u)}`), ...s.authGroup.map((g) => `AuthGroup: ${g}`), ...s.projects.map((p) => `Project: ${p}`));
      lines.push(`In Flight: ${inFlight.length}`, ...inFlight.map((e) => `  ${taskLine(e)}`));
      lines.push(`Pending: ${pending.length}`, ...pending.map((e) => `  ${taskLine(e)}`));
    }
    io.out(lines.join('\n') + '\n');
  }
  if (flags.detail && stored.quarantined) {
    const note = `Quarantined: ${stored.quarantined} file(s) in the task store that are not run (see ${engine.store!.quarantine}/*.why)`;
    if (flags.json) io.err(note);
    else io.out(note);
  }
  return 0;
}
