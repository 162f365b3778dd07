// FanoutConfigResource's text rule for etc/replication/NAME.config: the plugin looks at the
// raw lines, before any parse. A file is read only when exactly one line holds `[remote]` and
// no line holds `[remote "`; otherwise the whole file is skipped. The checks (checkFanout)
// and the engine's site reading (siteModel) both ask this one function.

export interface FanoutScan {
  /** Offsets of each line's first `[remote]`. */
  bareAt: number[];
  /** The rest of each line from its first `[remote "`. */
  subsections: Array<{ start: number; end: number }>;
  /** True when a line with `[remote]` is a comment (it counts all the same). */
  bareInComment: boolean;
  /** Why the plugin skips the file, or undefined when it reads it. */
  skipped?: 'remote-count' | 'subsection';
}

export function scanFanoutText(text: string): FanoutScan {
  const bareAt: number[] = [];
  const subsections: Array<{ start: number; end: number }> = [];
  let bareInComment = false;
  let offset = 0;
  for (const line of text.split('\n')) {
    const b = line.indexOf('[remote]');
    if (b >= 0) {
      bareAt.push(offset + b);
      if (/^\s*[#;]/.test(line)) bareInComment = true;
    }
    const q = line.indexOf('[remote "');
    if (q >= 0) subsections.push({ start: offset + q, end: offset + line.length });
    offset += line.length + 1;
  }
  // The plugin tests the count first, then the subsections.
  const skipped = bareAt.length !== 1 ? 'remote-count' : subsections.length > 0 ? 'subsection' : undefined;
  return { bareAt, subsections, bareInComment, skipped };
}
