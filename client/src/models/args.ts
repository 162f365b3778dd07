// Argument parsing for commands. A command can be invoked from the palette (no argument), from a
// tree item (a node), from the webview (a message) or by another extension (anything), so every
// argument is checked here; nothing that could inject git options or transports gets through.

/** Why a project name is refused, or undefined when it is safe to hand to the engine. */
export function unsafeProjectName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'empty project name';
  if (name.startsWith('-')) return `project name "${name}" starts with "-"`;
  if (/^[a-z][a-z0-9+.-]*::/i.test(name)) return `project name "${name}" names a transport`;
  if (name.split('/').some((s) => s === '..')) return `project name "${name}" contains a ".." segment`;
  if (/[\0\n\r]/.test(name)) return 'project name contains a control character';
  return undefined;
}

/** Why a URL (or URL pattern) is refused, or undefined when it is safe. */
export function unsafeUrl(url: unknown): string | undefined {
  if (typeof url !== 'string' || url.trim() === '') return 'empty URL';
  if (url.startsWith('-')) return `URL "${url}" starts with "-"`;
  if (/^ext::/i.test(url) || /(^|[^a-z])ext::/i.test(url)) return `URL "${url}" uses the ext:: transport`;
  if (/(^|[/\\])\.\.([/\\]|$)/.test(url)) return `URL "${url}" contains a ".." segment`;
  if (/[\0\n\r]/.test(url)) return 'URL contains a control character';
  return undefined;
}

export function unsafeRemoteName(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'empty remote name';
  if (name.startsWith('-')) return `remote name "${name}" starts with "-"`;
  if (/[\0\n\r]/.test(name)) return 'remote name contains a control character';
  return undefined;
}

/** The task ids a queue command applies to: a tree node, a task, a list of either, or ids. */
export function taskIdsFrom(arg: unknown, selection?: unknown[]): string[] {
  const items = Array.isArray(selection) && selection.length > 1 ? selection : [arg];
  const ids: string[] = [];
  for (const it of items) {
    if (typeof it === 'string') ids.push(it);
    else if (it && typeof it === 'object') {
      const o = it as { kind?: string; data?: { id?: unknown }; id?: unknown; project?: unknown };
      if (o.kind === 'task' && typeof o.data?.id === 'string') ids.push(o.data.id); // a tree node
      else if (o.kind === undefined && typeof o.id === 'string' && typeof o.project === 'string') ids.push(o.id); // a QueueTask
    }
  }
  return [...new Set(ids)];
}

export interface ReplicateTarget {
  projects: string[];
  remotes?: string[];
  urlPattern?: string;
}

/**
 * What "Replicate these" / "Replicate now" asks for, from an untrusted message or tree node.
 * Returns an error string for anything unsafe or malformed.
 */
export function parseReplicateRequest(msg: unknown): ReplicateTarget | string {
  if (!msg || typeof msg !== 'object') return 'no projects given';
  const m = msg as { projects?: unknown; remotes?: unknown; urlPattern?: unknown };
  if (!Array.isArray(m.projects) || m.projects.length === 0) return 'no projects given';
  for (const p of m.projects) {
    const why = unsafeProjectName(p);
    if (why) return why;
  }
  const out: ReplicateTarget = { projects: [...new Set(m.projects as string[])] };
  if (m.remotes !== undefined) {
    if (!Array.isArray(m.remotes)) return 'remotes must be a list';
    for (const r of m.remotes) {
      const why = unsafeRemoteName(r);
      if (why) return why;
    }
    if (m.remotes.length) out.remotes = [...new Set(m.remotes as string[])];
  }
  if (m.urlPattern !== undefined) {
    const why = unsafeUrl(m.urlPattern);
    if (why) return why;
    out.urlPattern = m.urlPattern as string;
  }
  return out;
}

/**
 * A URL safe to show: passwords are removed everywhere, and for http(s) the whole user part
 * (a token is often passed as the user name). The engine should already send display URLs.
 */
export function displayUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*):\/\/([^/@\s]*)@/i, (_m, scheme: string, user: string) => {
    if (/^https?$/i.test(scheme)) return `${scheme}://`;
    const name = user.split(':')[0];
    return name ? `${scheme}://${name}@` : `${scheme}://`;
  });
}
