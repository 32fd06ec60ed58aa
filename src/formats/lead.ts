// Where a line's own text starts: after a BOM and the leading blanks a copy-paste or a wrapper may leave.
export function skipLead(s: string): number {
  let i = 0;
  if (s.charCodeAt(0) === 0xfeff) i = 1;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return i;
    i++;
  }
}
