/**
 * One problem in the configuration: where (`microsoft.clientId`, `mailboxes.map.pracownik:12`,
 * `source.extraQueries.kontrahent.params`, `x.list[2]`) and an operator sentence that names the
 * fix. `line`/`column` (1-based) point into the file when it is known. Never holds a secret value.
 */
export interface ConfigError {
  readonly path: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

const PLAIN_KEY = /^[A-Za-z0-9_$:@-]+$/;

/** `parent.key`, or `parent["odd key"]` for keys with dots or spaces; `parent[3]` for indexes. */
export function joinConfigPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!PLAIN_KEY.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Inverse of `joinConfigPath`: `a.b[2]["c.d"]` → `['a', 'b', 2, 'c.d']`. */
export function splitConfigPath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) parts.push(m[1]);
    else if (m[2] !== undefined) parts.push(Number(m[2]));
    else if (m[3] !== undefined) parts.push(JSON.parse(m[3]) as string);
  }
  return parts;
}
