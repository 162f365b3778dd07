// A seeded generator of git-config files that mixes realistic replication.config content with
// everything git's parser treats specially: legacy and quoted subsections with escapes, quoting,
// comments inside and after values, continuations, CRLF, bare keys, repeats, a BOM, and garbage.

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(
    private readonly rnd: () => number,
    /** Chance that any one piece is made deliberately wrong. */
    private readonly errorRate: number,
  ) {}
  int(n: number) {
    return Math.floor(this.rnd() * n);
  }
  chance(p: number) {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  bad() {
    return this.chance(this.errorRate);
  }
  many(min: number, max: number, f: () => string) {
    let s = '';
    for (let n = min + this.int(max - min + 1); n > 0; n--) s += f();
    return s;
  }

  sectionName(): string {
    const good = ['remote', 'Remote', 'REMOTE', 'gerrit', 'replication', 'core', 'a', 'x-y', 'sec1', 'auth', 'include'];
    if (this.bad()) return this.pick(['', 'a_b', 'a b', 'ré', 'a/b', 'x"y', '[', 'a\tb']);
    return this.pick(good);
  }

  /** Characters for a quoted subsection: anything but an unescaped quote or newline. */
  subsectionChar(): string {
    const r = this.int(20);
    if (r < 9) return this.pick(['a', 'B', 'mirror', '-', '.', '_', '1', 'Foo', '/']);
    if (r < 11) return this.pick([' ', '\t', ']', '[', '#', ';', '=', '$', '{', '}']);
    if (r < 15) return '\\' + this.pick(['"', '\\', 'n', 't', 'x', ']', ' ', 'b']);
    if (r < 17) return this.pick(['é', '日', '\u00a0', '😀', '\r', '\v', '\f']);
    if (r < 18 && this.bad()) return this.pick(['"', '\n', '\\\n', '\\']);
    return 'z';
  }

  header(): string {
    const r = this.int(10);
    let h: string;
    if (r < 4) h = `[${this.sectionName()}]`;
    else if (r < 6) h = `[${this.sectionName()}.${this.pick(['Sub', 'mirror', 'a.b', '', 'x-1', 'MiXed'])}]`;
    else {
      const gap = this.pick([' ', ' ', '  ', '\t', ' \t ', '\r']);
      const sub = this.many(0, 6, () => this.subsectionChar());
      const close = this.bad() ? this.pick(['', ' ]', '"]', 'x]', '] ']) : ']';
      const name = this.chance(0.05) ? '' : this.sectionName();
      h = `[${name}${gap}"${sub}"${close}`;
    }
    if (this.bad()) h = this.pick(['[', '[]', '[ ]', '[a', '[a "b"', '[a "b', '[a b]', '["a"]', '[a.b "c"]', '[ "x"]']);
    // git lets content follow a header on the same line.
    if (this.chance(0.1)) h += this.pick([' ', '\t', '']) + this.pick(['# c', '; c', 'k = v', 'k', '  ']);
    return h;
  }

  key(): string {
    if (this.bad()) return this.pick(['1x', '_k', '-k', 'ké', 'k_v', 'k.v', 'k"', '\u00e9', '[k']);
    return this.pick(['url', 'URL', 'push', 'pushurl', 'projects', 'replicationDelay', 'timeout', 'k', 'a-b', 'k1', 'threads', 'mirror', 'authGroup']);
  }

  valueToken(): string {
    const r = this.int(40);
    if (r < 10) return this.pick(['ssh://host/${name}.git', 'true', 'false', '15s', '1m', '42', '0x1f', 'refs/heads/*', '+refs/*:refs/*', 'a', 'b c']);
    if (r < 15) return this.pick([' ', '  ', '\t', ' \t']);
    if (r < 19) return this.quoted();
    if (r < 23) return '\\' + this.pick(['"', '\\', 'n', 't', 'b']);
    if (r < 25) return this.pick([' # comment', ' ;comment', '#', ';x "y', ' # "quote in comment']);
    if (r < 28) return this.pick(['\\\n', '\\\r\n', '\\\n  ', '\\\n\t']);
    if (r < 31) return this.pick(['é', '日本', '😀', '\u00a0', '=', '[', ']', '$', '{', '}', '&', "'"]);
    if (r < 33) return this.pick(['\r', '\v', '\f', '\u0001', '\u007f']);
    if (r < 34 && this.bad()) return this.pick(['\\q', '\\x41', '\\ ', '\\', '"', '\u0000', '\\0', '\\r']);
    return 'v';
  }

  quoted(): string {
    let s = '"';
    const n = this.int(5);
    for (let i = 0; i < n; i++) {
      const r = this.int(10);
      if (r < 4) s += this.pick(['x', 'a b', '  ', '\t', 'ü']);
      else if (r < 6) s += this.pick([';', '#', '; not a comment', '# neither']);
      else if (r < 8) s += '\\' + this.pick(['"', '\\', 'n', 't', 'b']);
      else if (r < 9) s += this.pick(['\\\n', '\\\r\n']);
      else s += this.pick(['\r', '\v', '=']);
    }
    return this.bad() ? s + this.pick(['', '\\q']) : s + '"';
  }

  entry(): string {
    const indent = this.pick(['', ' ', '  ', '\t', '\t\t', ' \t']);
    const key = this.key();
    const r = this.int(10);
    if (r < 1) return indent + key; // implicit true
    if (r < 2) return indent + key + this.pick([' ', '\t', '  ']) + (this.bad() ? this.pick(['# c', '; c', 'x', '\r', '"']) : '');
    const eq = this.pick(['=', ' =', '= ', ' = ', '\t=\t', '  =']);
    return indent + key + eq + this.many(0, 6, () => this.valueToken());
  }

  garbage(): string {
    const alphabet = ['a', '1', ' ', '=', '"', '\\', '[', ']', '#', ';', '\t', '.', '-', 'é', '\u0000', '\r', '$', '{'];
    return this.many(1, 12, () => this.pick(alphabet));
  }

  line(): string {
    const r = this.int(20);
    if (r < 3) return this.header();
    if (r < 14) return this.entry();
    if (r < 16) return this.pick(['', ' ', '\t', '   ']);
    if (r < 18) return this.pick(['', ' ', '\t']) + this.pick(['#', ';']) + this.pick([' comment', ' [not a header]', ' key = "x', '\\', '']);
    if (this.bad()) return this.garbage();
    return this.entry();
  }

  file(): string {
    let text = this.chance(0.08) ? '\ufeff' : '';
    const crlf = this.chance(0.15);
    if (this.chance(0.9)) text += this.header() + '\n';
    const n = this.int(12);
    for (let i = 0; i < n; i++) {
      const eol = crlf || this.chance(0.05) ? '\r\n' : '\n';
      text += this.line() + (i === n - 1 && this.chance(0.2) ? '' : eol);
    }
    return text;
  }
}

/** `count` files from `seed`. A third are written with no deliberate mistakes. */
export function generateConfigs(seed: number, count: number): string[] {
  const rnd = prng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const errorRate = rnd() < 0.35 ? 0 : 0.02 + rnd() * 0.1;
    out.push(new Gen(rnd, errorRate).file());
  }
  return out;
}
