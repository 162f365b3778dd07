// The engine's view of URLs, on top of the shared parsers: `${name}` expansion comes from
// replication/uri.ts (Destination.getURI), classification from the transport's gitUrl.ts.
import { expandUrl as expandTemplate } from '../../replication/uri';
import { parseGitUrl } from '../transport/gitUrl';

/** The URL a project is pushed to; undefined when the template cannot be expanded. */
export function expandUrl(template: string, project: string, style: string, singleProject: boolean): string | undefined {
  try {
    return expandTemplate(template, project, style, { singleProject, includePassword: true });
  } catch {
    return undefined;
  }
}

function parsed(url: string) {
  try {
    return parseGitUrl(url);
  } catch {
    return undefined;
  }
}

/** The directory of a plain path or file: URL, or undefined for a network URL. */
export function localPath(url: string): string | undefined {
  const p = parsed(url);
  return p && (p.kind === 'local' || p.kind === 'file') ? p.path : undefined;
}

export function isSshUrl(url: string): boolean {
  return parsed(url)?.kind === 'ssh';
}

/** PushResultProcessing.resolveNodeName: host[:port] for remote URLs, the path for local ones. */
export function nodeName(url: string): string {
  const p = parsed(url);
  if (!p) return url;
  if (p.host) return p.port ? `${p.host}:${p.port}` : p.host;
  return p.path;
}
