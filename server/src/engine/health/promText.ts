// A small writer of the Prometheus text exposition format (version 0.0.4): HELP and TYPE once per
// family, before its samples; label values escaped; histograms as cumulative `_bucket{le}` series
// ending in `+Inf`, then `_sum` and `_count`. Our own rather than prom-client: the package list
// is fixed, and the engine needs five metric kinds computed at scrape time, not a registry.

export type MetricType = 'counter' | 'gauge' | 'histogram';
export type Labels = Record<string, string>;

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A label value: backslash, double quote and newline escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and newline escaped. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus reads it (Go's ParseFloat): +Inf, -Inf, NaN or a number. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (!keys.length) return '';
  for (const k of keys) if (!LABEL_NAME.test(k) || k.startsWith('__')) throw new Error(`bad label name ${JSON.stringify(k)}`);
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(',')}}`;
}

export class PromText {
  private readonly out: string[] = [];
  private readonly seen = new Set<string>();

  private family(name: string, type: MetricType, help: string): void {
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name ${JSON.stringify(name)}`);
    if (this.seen.has(name)) throw new Error(`metric ${name} written twice`);
    this.seen.add(name);
    this.out.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  /** A counter or gauge family with its samples (an empty list still declares the family). */
  metric(name: string, type: 'counter' | 'gauge', help: string, samples: Array<{ labels?: Labels; value: number }>): this {
    if (type === 'counter' && !name.endsWith('_total')) throw new Error(`counter ${name} must end in _total`);
    this.family(name, type, help);
    for (const s of samples) this.out.push(`${name}${labelText(s.labels ?? {})} ${formatValue(s.value)}`);
    return this;
  }

  /** A histogram family: one series per label set, `counts[i]` observations ≤ bounds[i] (not cumulative). */
  histogram(name: string, help: string, bounds: readonly number[], series: Array<{ labels?: Labels; counts: number[]; overflow: number; sum: number }>): this {
    this.family(name, 'histogram', help);
    for (const s of series) {
      const labels = s.labels ?? {};
      if ('le' in labels) throw new Error('a histogram series may not carry an le label');
      let cumulative = 0;
      bounds.forEach((b, i) => {
        cumulative += s.counts[i] ?? 0;
        this.out.push(`${name}_bucket${labelText({ ...labels, le: formatValue(b) })} ${cumulative}`);
      });
      cumulative += s.overflow;
      this.out.push(`${name}_bucket${labelText({ ...labels, le: '+Inf' })} ${cumulative}`);
      this.out.push(`${name}_sum${labelText(labels)} ${formatValue(s.sum)}`);
      this.out.push(`${name}_count${labelText(labels)} ${cumulative}`);
    }
    return this;
  }

  /** The exposition: one line per entry, ending in a newline. */
  text(): string {
    return this.out.join('\n') + '\n';
  }
}

/** Observations of one histogram series: per-bucket counts (not cumulative), overflow and sum. */
export class HistogramSeries {
  readonly counts: number[];
  overflow = 0;
  sum = 0;
  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(v: number): void {
    this.sum += v;
    const i = this.bounds.findIndex((b) => v <= b);
    if (i < 0) this.overflow++;
    else this.counts[i]++;
  }
}
