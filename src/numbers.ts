// Small numeric helpers over lists that can be as long as the 5xx of a log. Math.min(...xs) passes every
// element as an argument: past ≈ 120,000 of them V8 throws "Maximum call stack size exceeded".

/** Largest value, or `empty` when there is none. NaN is skipped. */
export function maxOf(xs: Iterable<number>, empty = -Infinity): number {
  let m = -Infinity;
  let any = false;
  for (const x of xs) {
    if (x !== x) continue;
    any = true;
    if (x > m) m = x;
  }
  return any ? m : empty;
}

/** Smallest value, or `empty` when there is none. NaN is skipped. */
export function minOf(xs: Iterable<number>, empty = Infinity): number {
  let m = Infinity;
  let any = false;
  for (const x of xs) {
    if (x !== x) continue;
    any = true;
    if (x < m) m = x;
  }
  return any ? m : empty;
}

/** The upper median (the middle element of the sorted values), or undefined for none. */
export function upperMedian(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
