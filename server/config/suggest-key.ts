/**
 * "Did you mean" for misspelt option names: the closest known name by edit distance, compared
 * case-insensitively and ignoring `_`/`-` (so `client_id` finds `clientId`). Null when nothing is
 * close enough to be a plausible typo.
 */
export function suggestKey(key: string, known: readonly string[]): string | null {
  const wanted = normalize(key);
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(wanted, normalize(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  return best !== null && bestDistance <= allowed ? best : null;
}

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbouring
 * letters as one step (optimal string alignment), since `levle` for `level` is a typical typo.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j], before[j - 2] + 1);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}
