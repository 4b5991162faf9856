/** One measured number. Benchmarks report; tests never assert timings. */
export interface BenchResult {
  suite: string;
  name: string;
  unit: 'ms' | 'ops/s' | 'MB' | 'KB';
  /** The median of `runs` measurements. */
  value: number;
  runs: number;
  /** The target from the issue or design, e.g. `<= 10 ms`, for the reader to compare. */
  target?: string;
  notes?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
