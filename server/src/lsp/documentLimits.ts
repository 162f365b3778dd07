// The size limit on what the server analyses (gitReplication.maxDocumentSizeMB, default 8).
// A document over it keeps being synced, but gets one diagnostic saying it is not analysed and no
// other feature runs on it, so a pasted log or a generated file cannot stall or bloat the server.
import type { Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { makeDiagnostic, type SeverityOverrides } from '../service/diagnostics';
import { HOST_RULES } from '../service/hostRules';

export const DEFAULT_MAX_DOCUMENT_MB = 8;
export const TOO_LARGE_CODE = 'document-too-large' satisfies keyof typeof HOST_RULES;

/** A size setting as a number of MB, or undefined when it is not a positive number. */
export function limitSetting(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;
}

const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

export class DocumentLimits {
  private maxMB = DEFAULT_MAX_DOCUMENT_MB;
  // UTF-8 size per document version: measured once, not on every request.
  private sizes = new WeakMap<TextDocument, { version: number; bytes: number }>();

  get limitMB(): number {
    return this.maxMB;
  }

  /** Apply a setting; anything but a positive number restores the default. Returns true on a change. */
  set(v: unknown): boolean {
    const next = limitSetting(v) ?? DEFAULT_MAX_DOCUMENT_MB;
    const changed = next !== this.maxMB;
    this.maxMB = next;
    // A size below the old limit's shortcut may have been measured in UTF-16 units only.
    if (changed) this.sizes = new WeakMap();
    return changed;
  }

  bytes(doc: TextDocument): number {
    const hit = this.sizes.get(doc);
    if (hit && hit.version === doc.version) return hit.bytes;
    const text = doc.getText();
    // Below a quarter of the limit no UTF-8 form can be over it (≤ 3 bytes per UTF-16 unit).
    const bytes = text.length * 3 < this.maxMB * 1024 * 1024 ? text.length : Buffer.byteLength(text, 'utf8');
    this.sizes.set(doc, { version: doc.version, bytes });
    return bytes;
  }

  tooLarge(doc: TextDocument): boolean {
    return this.bytes(doc) > this.maxMB * 1024 * 1024;
  }

  /** The one diagnostic a document over the limit gets, at its very start (none when turned off). */
  diagnostic(doc: TextDocument, overrides: SeverityOverrides = {}): Diagnostic[] {
    const d = makeDiagnostic(HOST_RULES, TOO_LARGE_CODE, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      `This file is ${mb(this.bytes(doc))} MB, over the ${this.maxMB} MB limit (gitReplication.maxDocumentSizeMB), so it is not analysed: no diagnostics, hover, completion or outline. Raise the setting to analyse it.`, overrides);
    return d ? [d] : [];
  }
}
