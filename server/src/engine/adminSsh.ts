// Repository administration over plain SSH, as Gerrit's RemoteSsh does:
// create = `mkdir -p P && cd P && git init --bare && git symbolic-ref HEAD <head>`,
// delete = `rm -rf P`, set HEAD = `cd P && git symbolic-ref HEAD <ref>`.
// (Owned by the transports work; this is the contract the engine calls.)
import type { TransportOptions } from './transport';

export interface SshAdminResult {
  ok: boolean;
  /** Error text with secrets redacted. */
  error?: string;
}

export async function createRepositoryOverSsh(url: string, headRef: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  void url; void headRef; void opts;
  return { ok: false, error: 'creating repositories over SSH is not implemented yet' };
}

export async function deleteRepositoryOverSsh(url: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  void url; void opts;
  return { ok: false, error: 'deleting repositories over SSH is not implemented yet' };
}

export async function setHeadOverSsh(url: string, ref: string, opts: TransportOptions = {}): Promise<SshAdminResult> {
  void url; void ref; void opts;
  return { ok: false, error: 'setting HEAD over SSH is not implemented yet' };
}
