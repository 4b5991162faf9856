// ROC statistics of genuine / impostor similarity scores (higher = more alike).

/** Smallest threshold whose false-accept rate is <= far, and the true-accept rate there. */
export function tarAtFar(genuine, impostor, far) {
  const imp = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(far * imp.length); // impostors allowed at or above the threshold
  // Accept strictly above the (allowed+1)-th highest impostor score.
  const threshold = allowed < imp.length ? imp[allowed] : -Infinity;
  const accepted = genuine.filter((g) => g > threshold).length;
  return { far, threshold, tar: genuine.length ? accepted / genuine.length : 0, impostors: imp.length, resolvable: far * imp.length >= 1 };
}

/** Area under the ROC curve: probability that a random genuine pair outscores a random impostor pair (ties count half). */
export function auc(genuine, impostor) {
  if (!genuine.length || !impostor.length) return NaN;
  const imp = [...impostor].sort((a, b) => a - b);
  let total = 0;
  for (const g of genuine) {
    let lo = 0, hi = imp.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (imp[mid] < g) lo = mid + 1; else hi = mid; }
    let eq = lo;
    while (eq < imp.length && imp[eq] === g) eq++;
    total += lo + (eq - lo) / 2;
  }
  return total / (genuine.length * imp.length);
}

export function summarize(values) {
  if (!values.length) return { count: 0 };
  const s = [...values].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { count: s.length, min: s[0], p05: q(0.05), median: q(0.5), p95: q(0.95), max: s.at(-1) };
}
