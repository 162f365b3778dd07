// The timestamps of gitolite's gl-copy-<copy>.status lines: Gitolite::Common::gen_ts() writes
// `YYYY-MM-DD.HH:MM:SS` in the server's local time, so both directions use local time here.

/** A status line's stamp for `d`, as gitolite writes it. */
export function glStamp(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}.${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** The instant a status line's stamp names, as an ISO string; undefined when it is not one. */
export function glTime(ts: string): string | undefined {
  const m = /^(\d{4})-(\d\d)-(\d\d)\.(\d\d):(\d\d):(\d\d)$/.exec(ts);
  if (!m) return undefined;
  const d = new Date(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
