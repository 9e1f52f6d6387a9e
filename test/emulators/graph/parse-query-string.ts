/**
 * Parses a raw query string into decoded options, keeping `$` names as sent. `+` is read as a
 * space (as ASP.NET does for Graph), so a literal plus in a filter value must be sent as `%2B`.
 * Returns null when a `%` escape is malformed (Graph answers 400).
 */
export function parseQueryString(raw: string): Map<string, string> | null {
  const query = new Map<string, string>();
  const text = raw.startsWith('?') ? raw.slice(1) : raw;
  if (!text) return query;
  try {
    for (const part of text.split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      const name = decodeURIComponent((eq === -1 ? part : part.slice(0, eq)).replaceAll('+', ' '));
      const value = eq === -1 ? '' : decodeURIComponent(part.slice(eq + 1).replaceAll('+', ' '));
      query.set(name, value);
    }
  } catch {
    return null;
  }
  return query;
}
