// A strict reader of the Prometheus text exposition format (0.0.4), written from the format's
// rules, for tests: HELP and TYPE once per family and before its samples, families contiguous,
// label values with their escapes, no series twice, counters ≥ 0, histograms with ascending `le`
// ending in +Inf, cumulative buckets, and `_count` equal to the +Inf bucket with a `_sum`.
// Anything else throws with the line number.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(v: string, where: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  if (v === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) throw new Error(`${where}: bad value ${JSON.stringify(v)}`);
  return Number(v);
}

/** `{a="x",b="y\"z"}` → labels; the braces' content is given. */
function parseLabels(body: string, where: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    const eq = body.indexOf('=', i);
    if (eq < 0) throw new Error(`${where}: label without '='`);
    const name = body.slice(i, eq);
    if (!LABEL.test(name)) throw new Error(`${where}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`${where}: label ${name} twice`);
    if (body[eq + 1] !== '"') throw new Error(`${where}: label value not quoted`);
    let j = eq + 2;
    let value = '';
    for (;;) {
      if (j >= body.length) throw new Error(`${where}: unterminated label value`);
      const ch = body[j];
      if (ch === '\\') {
        const n = body[j + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`${where}: bad escape \\${n}`);
        j += 2;
      } else if (ch === '"') {
        j++;
        break;
      } else if (ch === '\n') throw new Error(`${where}: newline in a label value`);
      else {
        value += ch;
        j++;
      }
    }
    labels[name] = value;
    if (j === body.length) break;
    if (body[j] !== ',') throw new Error(`${where}: expected ',' between labels`);
    i = j + 1;
  }
  return labels;
}

const seriesKey = (name: string, labels: Record<string, string>) => `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;

export function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a newline');
  const families = new Map<string, Family & { typed: boolean; helped: boolean }>();
  const done = new Set<string>();
  const seen = new Set<string>();
  let current: string | undefined;
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: '', type: 'untyped', samples: [], typed: false, helped: false }));
    if (current !== name) {
      if (done.has(name)) throw new Error(`family ${name} is not contiguous`);
      if (current) done.add(current);
      current = name;
    }
    return f;
  };
  const lines = text.slice(0, -1).split('\n');
  lines.forEach((line, n) => {
    const where = `line ${n + 1}`;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) throw new Error(`${where}: a comment that is neither HELP nor TYPE: ${line}`);
      const [, kind, name, rest] = m;
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name ${name}`);
      const f = family(name);
      if (f.samples.length) throw new Error(`${where}: ${kind} of ${name} after its samples`);
      if (kind === 'HELP') {
        if (f.helped) throw new Error(`${where}: HELP of ${name} twice`);
        f.helped = true;
        f.help = rest.replace(/\\(\\|n)/g, (_, c) => (c === 'n' ? '\n' : '\\'));
      } else {
        if (f.typed) throw new Error(`${where}: TYPE of ${name} twice`);
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(rest)) throw new Error(`${where}: bad type ${rest}`);
        f.typed = true;
        f.type = rest as Family['type'];
      }
      return;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(line);
    if (!m) throw new Error(`${where}: not a sample: ${JSON.stringify(line)}`);
    const [, name, body, value] = m;
    const labels = body === undefined || body === '' ? {} : parseLabels(body, where);
    const base = families.get(current ?? '')?.type === 'histogram' ? name.replace(/_(bucket|sum|count)$/, '') : name;
    const f = family(base);
    if (!f.typed || !f.helped) throw new Error(`${where}: sample of ${base} before its HELP and TYPE`);
    if (f.type === 'histogram' && base === name) throw new Error(`${where}: histogram sample ${name} without _bucket, _sum or _count`);
    const k = seriesKey(name, labels);
    if (seen.has(k)) throw new Error(`${where}: series ${k} twice`);
    seen.add(k);
    const v = parseValue(value, where);
    if (f.type === 'counter' && !(v >= 0)) throw new Error(`${where}: counter ${name} is ${value}`);
    f.samples.push({ name, labels, value: v });
  });
  for (const f of families.values()) {
    if (!f.typed || !f.helped) throw new Error(`family ${f.name} lacks HELP or TYPE`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return new Map([...families].map(([k, f]) => [k, { name: f.name, help: f.help, type: f.type, samples: f.samples }]));
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, { buckets: Array<{ le: number; v: number }>; sum?: number; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const k = seriesKey('', rest);
    const g = groups.get(k) ?? { buckets: [] };
    groups.set(k, g);
    if (s.name === `${f.name}_bucket`) {
      if (le === undefined) throw new Error(`${f.name}_bucket without le`);
      g.buckets.push({ le: parseValue(le, `${f.name} le`), v: s.value });
    } else if (s.name === `${f.name}_sum`) g.sum = s.value;
    else g.count = s.value;
  }
  for (const [k, g] of groups) {
    const where = `${f.name}${k}`;
    if (!g.buckets.length) throw new Error(`${where}: no buckets`);
    for (let i = 1; i < g.buckets.length; i++) {
      if (!(g.buckets[i].le > g.buckets[i - 1].le)) throw new Error(`${where}: le not ascending`);
      if (g.buckets[i].v < g.buckets[i - 1].v) throw new Error(`${where}: buckets not cumulative`);
    }
    if (g.buckets.at(-1)!.le !== Infinity) throw new Error(`${where}: the last bucket is not +Inf`);
    if (g.sum === undefined || g.count === undefined) throw new Error(`${where}: _sum or _count missing`);
    if (g.count !== g.buckets.at(-1)!.v) throw new Error(`${where}: _count ${g.count} differs from the +Inf bucket ${g.buckets.at(-1)!.v}`);
  }
}

/** The value of one sample, by family and a subset of its labels; undefined when absent. */
export function sampleValue(fams: Map<string, Family>, family: string, labels: Record<string, string> = {}, name = family): number | undefined {
  const f = fams.get(family);
  return f?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
