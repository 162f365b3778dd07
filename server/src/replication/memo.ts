// A bounded cache for pure functions of one string. While a file is edited almost every value
// is the same as in the previous validation; compiling the same regexes again is waste.
// (Cheap checks are not memoized: hashing the parser's fresh strings costs as much.)

export function memoize<T>(fn: (s: string) => T, limit = 100_000): (s: string) => T {
  let cache = new Map<string, T>();
  return (s: string) => {
    const hit = cache.get(s);
    if (hit !== undefined || cache.has(s)) return hit as T;
    const v = fn(s);
    if (cache.size >= limit) cache = new Map(); // crude, but bounded and cheap
    cache.set(s, v);
    return v;
  };
}
