/**
 * Offset of the first character where `text` stops being valid JSON, or -1 when it is valid.
 * Exists because V8's `JSON.parse` messages sometimes carry no position and sometimes quote the
 * surrounding text (which may hold a secret); this gives a position and quotes nothing.
 */
export function findJsonErrorOffset(text: string): number {
  let i = 0;
  // A thrown record unwinds the recursive reader at the first bad character.
  const fail = (): never => {
    throw { jsonSyntaxOffset: i } satisfies JsonSyntaxAt;
  };
  const skipSpace = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (ch: string) => {
    if (text[i] !== ch) fail();
    i++;
  };
  const readString = () => {
    expect('"');
    while (i < text.length) {
      const ch = text[i];
      if (ch === '"') { i++; return; }
      if (ch === '\\') {
        const esc = text[i + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) { i += 2; fail(); }
          i += 6;
        } else if (esc !== undefined && '"\\/bfnrt'.includes(esc)) i += 2;
        else { i++; fail(); }
        continue;
      }
      if (ch < ' ') fail();
      i++;
    }
    fail();
  };
  const NUMBER = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const readValue = (): void => {
    skipSpace();
    const ch = text[i];
    if (ch === '{') return readContainer('}', () => { skipSpace(); readString(); skipSpace(); expect(':'); readValue(); });
    if (ch === '[') return readContainer(']', readValue);
    if (ch === '"') return readString();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) { i += literal.length; return; }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m || m[0] === '-' || m[0] === '') fail();
    i += m![0].length;
  };
  const readContainer = (close: string, readItem: () => void) => {
    i++;
    skipSpace();
    if (text[i] === close) { i++; return; }
    for (;;) {
      readItem();
      skipSpace();
      if (text[i] === ',') { i++; continue; }
      expect(close);
      return;
    }
  };
  try {
    readValue();
    skipSpace();
    if (i < text.length) fail();
    return -1;
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'jsonSyntaxOffset' in err) return Math.min((err as JsonSyntaxAt).jsonSyntaxOffset, text.length);
    throw err;
  }
}

/** Line and column (1-based) of an offset in `text`. */
export function lineColumnAt(text: string, offset: number): { readonly line: number; readonly column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

interface JsonSyntaxAt {
  readonly jsonSyntaxOffset: number;
}
