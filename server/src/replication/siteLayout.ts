// Where a file sits in a Gerrit site. Everything is derived from the checked file's path:
// $site/etc/replication.config, $site/etc/secure.config, $site/etc/replication/NAME.config.
import { basename, dirname, join } from 'node:path';
import type { FileKind } from '../catalog/keyCatalog';

export interface SiteLayout {
  kind: FileKind;
  /** The site's etc directory (the directory holding replication.config). */
  etcDir: string;
  replicationConfig: string;
  secureConfig: string;
  /** etc/replication: when it exists, remotes come only from the files in it. */
  fanoutDir: string;
  /** For a fan-out file: the remote it defines (file name without `.config`). */
  fanoutRemote?: string;
}

export function siteLayout(path: string, kind: FileKind): SiteLayout {
  const etcDir = kind === 'fanout' ? dirname(dirname(path)) : dirname(path);
  return {
    kind,
    etcDir,
    replicationConfig: join(etcDir, 'replication.config'),
    secureConfig: join(etcDir, 'secure.config'),
    fanoutDir: join(etcDir, 'replication'),
    fanoutRemote: kind === 'fanout' ? basename(path).replace(/\.config$/, '') : undefined,
  };
}

/**
 * The Gerrit site an etc directory belongs to: $site for $site/etc, else the directory itself.
 * Everything the language server, `check` and the engine read of a site lies below it.
 */
export function siteRootOf(etcDir: string): string {
  return basename(etcDir) === 'etc' ? dirname(etcDir) : etcDir;
}

/** The fan-out files the plugin reads: regular `*.config` files directly in the directory. */
export function fanoutFiles(dir: string, ws: { list(d: string): string[] | undefined; stat(p: string): { isFile: boolean } | undefined }): string[] {
  const names = ws.list(dir);
  if (!names) return [];
  return names
    .filter((n) => n.endsWith('.config'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => ws.stat(p)?.isFile === true);
}
