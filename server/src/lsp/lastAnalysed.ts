// Requests on a document whose new version is still being analysed (a 4 MB parse takes about a
// second) are answered from the newest version that is analysed, when that is sound: the edits
// since then changed no line break (same lines, same line numbers) and did not touch the line the
// request is about, so the request's position means the same text in both versions. What the
// answer says about other lines is at most one edit old, as a hover or a completion is anyway
// by the time the user reads it. Requests about the whole document (the outline) are not answered
// this way: a client keeps an outline until the next edit, so a stale one would stay.
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';

interface Entry<V> {
  version: number;
  /** What the version was answered through (the host's view of that version's text). */
  view: V;
  /** Lines edited since, or null when an edit added or removed a line break. */
  edited: Set<number> | null;
}

export class LastAnalysed<V> {
  private readonly byUri = new Map<string, Entry<V>>();

  /** `view` is of `version`, which is analysed now: it is the one to answer from until a newer one is. */
  analysed(uri: string, version: number, view: V): void {
    const cur = this.byUri.get(uri);
    if (cur && cur.version >= version) return;
    this.byUri.set(uri, { version, view, edited: new Set() });
  }

  /** A change about to be applied to the document (its range clamped to the text as it stands). */
  changed(uri: string, change: TextDocumentContentChangeEvent): void {
    const e = this.byUri.get(uri);
    if (!e || !e.edited) return;
    const r = 'range' in change ? change.range : undefined;
    if (!r || r.start.line !== r.end.line || /[\r\n]/.test(change.text)) e.edited = null;
    else e.edited.add(r.start.line);
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }

  /**
   * The older version's view to answer a request about `line` of the document now at `version`
   * from; undefined when there is none, it is this version, or the edits since moved or touched
   * that line.
   */
  olderFor(uri: string, version: number, line: number): V | undefined {
    const e = this.byUri.get(uri);
    if (!e || e.version >= version || !e.edited || e.edited.has(line)) return undefined;
    return e.view;
  }
}
