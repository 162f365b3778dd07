// URL helpers the engine needs: `${name}` expansion with remoteNameStyle and http escaping,
// and how a URL is classified (local path, file:, ssh, http). Kept in one place so it can be
// swapped for the shared server/src/replication/uri.ts.

export type RemoteNameStyle = 'slash' | 'dash' | 'underscore' | 'basenameOnly';

export function applyNameStyle(name: string, style: string): string {
  switch (style) {
    case 'dash':
      return name.replace(/\//g, '-');
    case 'underscore':
      return name.replace(/\//g, '_');
    case 'basenameOnly': {
      // Guava Files.getNameWithoutExtension: last path segment, text after its last dot dropped.
      const base = name.slice(name.lastIndexOf('/') + 1);
      const dot = base.lastIndexOf('.');
      return dot < 0 ? base : base.slice(0, dot);
    }
    default:
      return name; // unknown styles fall back to slash, as Gerrit does
  }
}

export function schemeOf(url: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return m ? m[1].toLowerCase() : undefined;
}

/** PushReplication.needsUrlEscaping: http, https and amazon-s3 URLs. */
export function needsUrlEscaping(url: string): boolean {
  const s = schemeOf(url);
  return s === 'http' || s === 'https' || s === 'amazon-s3';
}

/** Gerrit's Url.encode for a project name: URLEncoder with '%20' for spaces and '/' kept. */
export function escapeName(name: string): string {
  let out = '';
  for (const b of Buffer.from(name, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9.\-*_/]/.test(c)) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Destination.getURI: replace the first `${name}` with the styled (and, for http, escaped) name. */
export function expandUrl(template: string, project: string, style: string): string {
  let name = applyNameStyle(project, style);
  if (needsUrlEscaping(template)) name = escapeName(name);
  const i = template.indexOf('${name}');
  return i < 0 ? template : template.slice(0, i) + name + template.slice(i + '${name}'.length);
}

/** git's rule: `host:path` with the colon before any slash is scp-like ssh. */
export function isScpLike(url: string): boolean {
  if (schemeOf(url)) return false;
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon > 0 && (slash < 0 || colon < slash);
}

/** The local directory of a plain path or file: URL, or undefined for a network URL. */
export function localPath(url: string): string | undefined {
  const s = schemeOf(url);
  if (s === 'file') {
    const rest = url.replace(/^file:\/\//i, '');
    try {
      return decodeURIComponent(rest.startsWith('/') ? rest : rest.slice(rest.indexOf('/')));
    } catch {
      return rest;
    }
  }
  if (s || isScpLike(url)) return undefined;
  return url;
}

export function isSshUrl(url: string): boolean {
  const s = schemeOf(url);
  return (s !== undefined && s.includes('ssh')) || isScpLike(url);
}

/** PushResultProcessing.resolveNodeName: host[:port] for remote URLs, the path for local ones. */
export function nodeName(url: string): string {
  const local = localPath(url);
  if (local !== undefined) return local;
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?/i.exec(url);
  if (m) return m[2] ? `${m[1]}:${m[2]}` : m[1];
  const scp = /^(?:[^@:]*@)?([^:]+):/.exec(url);
  return scp ? scp[1] : url;
}
