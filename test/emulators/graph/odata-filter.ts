/**
 * A small OData `$filter` parser and evaluator: enough for Graph calendar queries such as
 * `name eq 'Serwis'` and `singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`.
 *
 * Supported: `eq ne gt ge lt le`, `and or not`, parentheses, `any`/`all` lambdas, the functions
 * `startswith endswith contains`, literals `'text'` (with `''`), numbers, `true false null`,
 * unquoted ISO date-times. Keywords are case-insensitive (Microsoft's own samples write `Any`).
 * String comparisons ignore case, as Exchange restrictions do [unverified for every property].
 */

export type FilterValue =
  | { readonly kind: 'literal'; readonly value: string | number | boolean | null; readonly quoted: boolean }
  | { readonly kind: 'path'; readonly segments: readonly string[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly FilterValue[] };

export type FilterNode =
  | { readonly kind: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly kind: 'not'; readonly operand: FilterNode }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: FilterValue; readonly right: FilterValue }
  | { readonly kind: 'lambda'; readonly fn: 'any' | 'all'; readonly collection: readonly string[]; readonly variable: string; readonly body: FilterNode }
  | { readonly kind: 'test'; readonly value: FilterValue };

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterParse = { readonly ok: true; readonly node: FilterNode } | { readonly ok: false; readonly message: string };

type Token = { readonly type: 'string' | 'word' | 'number' | 'punct'; readonly text: string; readonly at: number };

const COMPARE_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains']);
const DATE_TIME_LITERAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SyntaxError(`unterminated string literal at position ${i}`);
        if (text[j] === "'") {
          if (text[j + 1] === "'") {
            value += "'";
            j += 2;
            continue;
          }
          break;
        }
        value += text[j++];
      }
      tokens.push({ type: 'string', text: value, at: i });
      i = j + 1;
    } else if ('()/:,'.includes(c)) {
      tokens.push({ type: 'punct', text: c, at: i++ });
    } else {
      const m = /^(\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})?|-?\d+(\.\d+)?|[A-Za-z_$@][\w.$@]*)/.exec(text.slice(i));
      if (!m) throw new SyntaxError(`unexpected character '${c}' at position ${i}`);
      const isNumber = /^-?\d/.test(m[0]) && !DATE_TIME_LITERAL.test(m[0]);
      tokens.push({ type: isNumber ? 'number' : 'word', text: m[0], at: i });
      i += m[0].length;
    }
  }
  return tokens;
}

/** Parses a `$filter` expression; syntax errors come back as a message, never thrown. */
export function parseFilter(text: string): FilterParse {
  try {
    const tokens = tokenize(text);
    const parser = createParser(tokens, new Set());
    const node = parser.parseOr();
    if (!parser.done()) throw new SyntaxError(`unexpected '${parser.peek()?.text}'`);
    return { ok: true, node };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function createParser(tokens: readonly Token[], variables: Set<string>) {
  let pos = 0;
  const peek = () => tokens[pos];
  const isWord = (word: string) => peek()?.type === 'word' && peek().text.toLowerCase() === word;
  const expect = (text: string) => {
    const token = tokens[pos];
    if (!token || token.text !== text) throw new SyntaxError(`expected '${text}' at ${token ? `'${token.text}'` : 'end'}`);
    pos++;
  };

  const parseValue = (): FilterValue | FilterNode => {
    const token = tokens[pos];
    if (!token) throw new SyntaxError('unexpected end of filter');
    if (token.type === 'string') {
      pos++;
      return { kind: 'literal', value: token.text, quoted: true };
    }
    if (token.type === 'number') {
      pos++;
      return { kind: 'literal', value: Number(token.text), quoted: false };
    }
    if (token.type === 'word') {
      const lower = token.text.toLowerCase();
      if (lower === 'true' || lower === 'false') {
        pos++;
        return { kind: 'literal', value: lower === 'true', quoted: false };
      }
      if (lower === 'null') {
        pos++;
        return { kind: 'literal', value: null, quoted: false };
      }
      if (DATE_TIME_LITERAL.test(token.text)) {
        pos++;
        return { kind: 'literal', value: token.text, quoted: false };
      }
      if (FUNCTIONS.has(lower) && tokens[pos + 1]?.text === '(') {
        pos += 2;
        const args: FilterValue[] = [];
        for (;;) {
          const arg = parseValue();
          if (!isValue(arg)) throw new SyntaxError(`function ${lower} takes values`);
          args.push(arg);
          if (peek()?.text === ',') {
            pos++;
            continue;
          }
          break;
        }
        expect(')');
        return { kind: 'call', name: lower, args };
      }
      return parsePath();
    }
    throw new SyntaxError(`unexpected '${token.text}'`);
  };

  const parsePath = (): FilterValue | FilterNode => {
    const segments: string[] = [tokens[pos++].text];
    while (peek()?.text === '/') {
      pos++;
      const next = tokens[pos];
      if (!next || next.type !== 'word') throw new SyntaxError('expected a property name after /');
      const lower = next.text.toLowerCase();
      if ((lower === 'any' || lower === 'all') && tokens[pos + 1]?.text === '(') {
        pos += 2;
        const variable = tokens[pos];
        if (!variable || variable.type !== 'word') throw new SyntaxError(`expected a lambda variable after ${lower}(`);
        pos++;
        expect(':');
        const inner = createParser(tokens.slice(pos), new Set([...variables, variable.text]));
        const body = inner.parseOr();
        pos += inner.position();
        expect(')');
        return { kind: 'lambda', fn: lower, collection: segments, variable: variable.text, body };
      }
      segments.push(next.text);
      pos++;
    }
    return { kind: 'path', segments };
  };

  const parsePrimary = (): FilterNode => {
    if (peek()?.text === '(') {
      pos++;
      const node = parseOr();
      expect(')');
      return node;
    }
    if (isWord('not')) {
      pos++;
      return { kind: 'not', operand: parsePrimary() };
    }
    const left = parseValue();
    if (!isValue(left)) return left;
    const opToken = peek();
    if (opToken?.type === 'word' && COMPARE_OPS.has(opToken.text.toLowerCase())) {
      pos++;
      const right = parseValue();
      if (!isValue(right)) throw new SyntaxError('a comparison needs a value on the right');
      return { kind: 'compare', op: opToken.text.toLowerCase() as CompareOp, left, right };
    }
    return { kind: 'test', value: left };
  };

  const parseAnd = (): FilterNode => {
    let node = parsePrimary();
    while (isWord('and')) {
      pos++;
      node = { kind: 'and', left: node, right: parsePrimary() };
    }
    return node;
  };

  const parseOr = (): FilterNode => {
    let node = parseAnd();
    while (isWord('or')) {
      pos++;
      node = { kind: 'or', left: node, right: parseAnd() };
    }
    return node;
  };

  return { parseOr, peek, done: () => pos >= tokens.length, position: () => pos };
}

function isValue(value: FilterValue | FilterNode): value is FilterValue {
  return value.kind === 'literal' || value.kind === 'path' || value.kind === 'call';
}

export interface EvaluateOptions {
  /** Rewrites a quoted literal compared with `path` (e.g. canonical extended-property ids). */
  readonly normalizeLiteral?: (path: readonly string[], literal: string) => string;
}

/** Evaluates `node` against `root`; property names are matched ignoring case. */
export function evaluateFilter(node: FilterNode, root: unknown, options: EvaluateOptions = {}): boolean {
  return evaluateNode(node, root, new Map(), options);
}

function evaluateNode(node: FilterNode, root: unknown, scope: Map<string, unknown>, options: EvaluateOptions): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateNode(node.left, root, scope, options) && evaluateNode(node.right, root, scope, options);
    case 'or':
      return evaluateNode(node.left, root, scope, options) || evaluateNode(node.right, root, scope, options);
    case 'not':
      return !evaluateNode(node.operand, root, scope, options);
    case 'test':
      return resolveValue(node.value, root, scope, options) === true;
    case 'lambda': {
      const collection = resolvePath(node.collection, root, scope);
      const items = Array.isArray(collection) ? collection : [];
      const test = (item: unknown) => evaluateNode(node.body, root, new Map([...scope, [node.variable, item]]), options);
      return node.fn === 'any' ? items.some(test) : items.every(test);
    }
    case 'compare': {
      let left = resolveValue(node.left, root, scope, options);
      let right = resolveValue(node.right, root, scope, options);
      if (options.normalizeLiteral) {
        if (node.left.kind === 'path' && node.right.kind === 'literal' && typeof right === 'string') right = options.normalizeLiteral(node.left.segments, right);
        if (node.right.kind === 'path' && node.left.kind === 'literal' && typeof left === 'string') left = options.normalizeLiteral(node.right.segments, left);
      }
      return compare(node.op, left, right);
    }
  }
}

function resolveValue(value: FilterValue, root: unknown, scope: Map<string, unknown>, options: EvaluateOptions): unknown {
  if (value.kind === 'literal') return value.value;
  if (value.kind === 'path') return resolvePath(value.segments, root, scope);
  const [a, b] = value.args.map((arg) => resolveValue(arg, root, scope, options));
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (value.name === 'startswith') return x.startsWith(y);
  if (value.name === 'endswith') return x.endsWith(y);
  return x.includes(y);
}

function resolvePath(segments: readonly string[], root: unknown, scope: Map<string, unknown>): unknown {
  let current: unknown = root;
  let rest = segments;
  if (scope.has(segments[0])) {
    current = scope.get(segments[0]);
    rest = segments.slice(1);
  }
  for (const segment of rest) {
    if (current === null || typeof current !== 'object') return undefined;
    const record = current as Record<string, unknown>;
    if (Object.hasOwn(record, segment)) {
      current = record[segment];
      continue;
    }
    const lower = segment.toLowerCase();
    const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
    current = key === undefined ? undefined : record[key];
  }
  return current;
}

function compare(op: CompareOp, left: unknown, right: unknown): boolean {
  const l = left === undefined ? null : left;
  const r = right === undefined ? null : right;
  if (l === null || r === null) {
    if (op === 'eq') return l === r;
    if (op === 'ne') return l !== r;
    return false;
  }
  let order: number;
  if (typeof l === 'string' && typeof r === 'string') {
    const [a, b] = [asInstant(l), asInstant(r)];
    if (a !== null && b !== null) order = a - b;
    else if (op === 'eq' || op === 'ne') order = l === r || l.toLowerCase() === r.toLowerCase() ? 0 : 1;
    else order = COLLATOR.compare(l, r);
  } else if (typeof l === 'number' && typeof r === 'number') {
    order = l - r;
  } else if (typeof l === 'boolean' && typeof r === 'boolean') {
    order = l === r ? 0 : 1;
    if (op !== 'eq' && op !== 'ne') return false;
  } else {
    return op === 'ne';
  }
  switch (op) {
    case 'eq':
      return order === 0;
    case 'ne':
      return order !== 0;
    case 'gt':
      return order > 0;
    case 'ge':
      return order >= 0;
    case 'lt':
      return order < 0;
    case 'le':
      return order <= 0;
  }
}

const COLLATOR = new Intl.Collator('en', { sensitivity: 'base' });

/** Date-time strings compare as instants (a missing zone means UTC, as in Graph filters). */
function asInstant(text: string): number | null {
  // Cheap pre-check before the regex: date-times start with four digits and a dash.
  if (text.length < 16 || text.charCodeAt(4) !== 45 || !DATE_TIME_LITERAL.test(text)) return null;
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(withZone.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(ms) ? null : ms;
}

/** Every property path the filter reads from the root (lambda variables excluded). */
export function collectRootPaths(node: FilterNode, variables: ReadonlySet<string> = new Set()): string[][] {
  const fromValue = (value: FilterValue): string[][] => {
    if (value.kind === 'path') return variables.has(value.segments[0]) ? [] : [[...value.segments]];
    if (value.kind === 'call') return value.args.flatMap(fromValue);
    return [];
  };
  switch (node.kind) {
    case 'and':
    case 'or':
      return [...collectRootPaths(node.left, variables), ...collectRootPaths(node.right, variables)];
    case 'not':
      return collectRootPaths(node.operand, variables);
    case 'test':
      return fromValue(node.value);
    case 'compare':
      return [...fromValue(node.left), ...fromValue(node.right)];
    case 'lambda': {
      const inner = collectRootPaths(node.body, new Set([...variables, node.variable]));
      return variables.has(node.collection[0]) ? inner : [[...node.collection], ...inner];
    }
  }
}
