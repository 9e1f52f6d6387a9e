/**
 * Small helpers the benchmarks share: a median, a timer, number formatting and a plain-text
 * table. Benchmarks print; they never assert (timings are ratios, not pass/fail thresholds).
 */

/** The median of a non-empty list of numbers (mean of the two middle values for an even count). */
export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) throw new Error('computeMedian needs at least one value.');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` once and returns its result with the elapsed wall-clock milliseconds. */
export async function measureMs<T>(fn: () => Promise<T> | T): Promise<{ readonly value: T; readonly ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

/** A number with thin grouping (`100 000`) and at most `digits` decimals. */
export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }).replace(/,/g, ' ');
}

/** A ratio `a / b` as `123.4×`; `∞` when b is 0 and a is not. */
export function formatRatio(a: number, b: number): string {
  if (b === 0) return a === 0 ? '1.0×' : '∞';
  return `${formatNumber(a / b, a / b >= 100 ? 0 : 1)}×`;
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
