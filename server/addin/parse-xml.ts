/**
 * A small, strict, non-validating XML parser for the add-in manifest: elements, attributes,
 * text, comments, CDATA, processing instructions and the five predefined entities plus character
 * references, with namespace resolution. No DTDs (a manifest has none, and refusing them keeps
 * entity expansion out). Node has no DOMParser and the project adds no dependency for this.
 */

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';

export interface XmlElement {
  /** Qualified name as written, e.g. `bt:Image`. */
  readonly name: string;
  readonly localName: string;
  /** Namespace URI after resolving prefixes ('' = no namespace). */
  readonly namespace: string;
  /** Attributes by qualified name as written (`xsi:type`, `DefaultValue`, `xmlns:bt`). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Namespace URI of each prefixed attribute (`xsi:type` → the XMLSchema-instance URI). */
  readonly attributeNamespaces: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated character data directly inside this element (whitespace kept). */
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export type XmlParseResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

interface MutableElement {
  name: string; localName: string; namespace: string;
  attributes: Record<string, string>; attributeNamespaces: Record<string, string>;
  children: MutableElement[]; text: string; line: number; column: number;
  scope: ReadonlyMap<string, string>;
}

class XmlSyntaxError extends Error {
  readonly at: number;
  constructor(message: string, at: number) { super(message); this.at = at; }
}

const NAME = /[A-Za-z_][\w.\-]*(?::[A-Za-z_][\w.\-]*)?/y;
const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Parses `xml`; a well-formedness error comes back as a value with line and column. */
export function parseXml(xml: string): XmlParseResult {
  try {
    return { ok: true, root: parseDocument(xml) };
  } catch (err) {
    if (!(err instanceof XmlSyntaxError)) throw err;
    const { line, column } = locate(xml, err.at);
    return { ok: false, message: err.message, line, column };
  }
}

function parseDocument(xml: string): XmlElement {
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: MutableElement[] = [];
  let root: MutableElement | null = null;
  const baseScope = new Map<string, string>([['xml', XML_NS], ['', '']]);

  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > pos) {
      const raw = xml.slice(pos, textEnd);
      const top = stack.at(-1);
      if (top) top.text += decodeText(raw, pos);
      else if (raw.trim() !== '') throw new XmlSyntaxError('Tekst poza elementem głównym.', pos);
      pos = textEnd;
      continue;
    }
    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos + 4);
      if (end === -1) throw new XmlSyntaxError('Niezamknięty komentarz (brak „-->”).', pos);
      const inner = xml.indexOf('--', pos + 4);
      if (inner < end) throw new XmlSyntaxError('Komentarz nie może zawierać „--” (wymóg XML).', inner);
      pos = end + 3;
    } else if (xml.startsWith('<![CDATA[', pos)) {
      const end = xml.indexOf(']]>', pos);
      const top = stack.at(-1);
      if (end === -1 || !top) throw new XmlSyntaxError('Sekcja CDATA poza elementem albo niezamknięta.', pos);
      top.text += xml.slice(pos + 9, end);
      pos = end + 3;
    } else if (xml.startsWith('<?', pos)) {
      const end = xml.indexOf('?>', pos);
      if (end === -1) throw new XmlSyntaxError('Niezamknięta instrukcja przetwarzania (brak „?>”).', pos);
      if (/^<\?xml\s/.test(xml.slice(pos, pos + 6)) && pos > (xml.charCodeAt(0) === 0xfeff ? 1 : 0)) {
        throw new XmlSyntaxError('Deklaracja <?xml …?> musi być na samym początku pliku.', pos);
      }
      pos = end + 2;
    } else if (xml.startsWith('<!', pos)) {
      throw new XmlSyntaxError('DTD i deklaracje <!…> nie są dozwolone w manifeście.', pos);
    } else if (xml.startsWith('</', pos)) {
      NAME.lastIndex = pos + 2;
      const m = NAME.exec(xml);
      const top = stack.pop();
      if (!m || !top) throw new XmlSyntaxError('Znacznik zamykający bez otwierającego.', pos);
      if (m[0] !== top.name) throw new XmlSyntaxError(`Znacznik zamykający </${m[0]}> nie pasuje do <${top.name}> (wiersz ${top.line}).`, pos);
      const close = skipSpace(xml, pos + 2 + m[0].length);
      if (xml[close] !== '>') throw new XmlSyntaxError(`Oczekiwano „>” w </${m[0]}>.`, close);
      pos = close + 1;
    } else {
      if (root && stack.length === 0) throw new XmlSyntaxError('Drugi element główny — manifest ma jeden element OfficeApp.', pos);
      const parent = stack.at(-1);
      const { element, end, selfClosing } = parseStartTag(xml, pos, parent?.scope ?? baseScope);
      if (parent) parent.children.push(element);
      else root = element;
      if (!selfClosing) stack.push(element);
      pos = end;
    }
  }
  if (stack.length > 0) {
    const open = stack.at(-1)!;
    throw new XmlSyntaxError(`Element <${open.name}> (wiersz ${open.line}) nie jest zamknięty.`, xml.length);
  }
  if (!root) throw new XmlSyntaxError('Plik nie zawiera żadnego elementu.', 0);
  return root;
}

function parseStartTag(xml: string, start: number, parentScope: ReadonlyMap<string, string>):
  { element: MutableElement; end: number; selfClosing: boolean } {
  NAME.lastIndex = start + 1;
  const m = NAME.exec(xml);
  if (!m) throw new XmlSyntaxError('Oczekiwano nazwy elementu po „<”.', start + 1);
  const name = m[0];
  let pos = start + 1 + name.length;
  const raw: [string, string, number][] = [];
  for (;;) {
    const afterSpace = skipSpace(xml, pos);
    if (xml.startsWith('/>', afterSpace) || xml[afterSpace] === '>') { pos = afterSpace; break; }
    if (afterSpace === pos) throw new XmlSyntaxError(`Oczekiwano spacji, „>” albo „/>” w <${name}>.`, pos);
    NAME.lastIndex = afterSpace;
    const a = NAME.exec(xml);
    if (!a) throw new XmlSyntaxError(`Niepoprawny atrybut w <${name}>.`, afterSpace);
    let p = skipSpace(xml, afterSpace + a[0].length);
    if (xml[p] !== '=') throw new XmlSyntaxError(`Atrybut ${a[0]} w <${name}> nie ma wartości (brak „=”).`, p);
    p = skipSpace(xml, p + 1);
    const quote = xml[p];
    if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`Wartość atrybutu ${a[0]} w <${name}> musi być w cudzysłowie.`, p);
    const close = xml.indexOf(quote, p + 1);
    if (close === -1) throw new XmlSyntaxError(`Niezamknięty cudzysłów w atrybucie ${a[0]}.`, p);
    const value = xml.slice(p + 1, close);
    if (value.includes('<')) throw new XmlSyntaxError(`Znak „<” w wartości atrybutu ${a[0]} — zapisz go jako &lt;.`, p);
    if (raw.some(([n]) => n === a[0])) throw new XmlSyntaxError(`Atrybut ${a[0]} powtórzony w <${name}>.`, afterSpace);
    raw.push([a[0], decodeText(value, p + 1), afterSpace]);
    pos = close + 1;
  }
  const selfClosing = xml[pos] === '/';
  const end = pos + (selfClosing ? 2 : 1);

  const scope = new Map(parentScope);
  for (const [n, v] of raw) {
    if (n === 'xmlns') scope.set('', v);
    else if (n.startsWith('xmlns:')) scope.set(n.slice(6), v);
  }
  const attributes: Record<string, string> = {};
  const attributeNamespaces: Record<string, string> = {};
  for (const [n, v, at] of raw) {
    attributes[n] = v;
    const colon = n.indexOf(':');
    if (colon > 0 && n.slice(0, colon) !== 'xmlns') {
      const uri = scope.get(n.slice(0, colon));
      if (uri === undefined) throw new XmlSyntaxError(`Prefiks „${n.slice(0, colon)}” w atrybucie ${n} nie ma deklaracji xmlns:${n.slice(0, colon)}.`, at);
      attributeNamespaces[n] = uri;
    }
  }
  const colon = name.indexOf(':');
  const prefix = colon > 0 ? name.slice(0, colon) : '';
  const namespace = scope.get(prefix);
  if (namespace === undefined) throw new XmlSyntaxError(`Prefiks „${prefix}” w <${name}> nie ma deklaracji xmlns:${prefix}.`, start);
  const { line, column } = locate(xml, start);
  return {
    element: {
      name, localName: colon > 0 ? name.slice(colon + 1) : name, namespace,
      attributes, attributeNamespaces, children: [], text: '', line, column, scope,
    },
    end,
    selfClosing,
  };
}

function decodeText(raw: string, at: number): string {
  return raw.replace(/&([^;\s&<]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`Znak „&” bez „;” — zapisz go jako &amp;.`, at);
    if (ref.startsWith('#x')) return codePoint(ref.slice(2), 16, at);
    if (ref.startsWith('#')) return codePoint(ref.slice(1), 10, at);
    const value = ENTITIES[ref];
    if (value === undefined) throw new XmlSyntaxError(`Nieznana encja &${ref}; — XML zna tylko &lt; &gt; &amp; &quot; &apos;.`, at);
    return value;
  });
}

function codePoint(digits: string, radix: number, at: number): string {
  const n = Number.parseInt(digits, radix);
  if (!/^[0-9a-fA-F]+$/.test(digits) || !Number.isFinite(n) || n > 0x10ffff) throw new XmlSyntaxError(`Niepoprawne odwołanie znakowe &#${digits};.`, at);
  return String.fromCodePoint(n);
}

function skipSpace(xml: string, pos: number): number {
  while (pos < xml.length && /\s/.test(xml[pos])) pos++;
  return pos;
}

function locate(xml: string, at: number): { line: number; column: number } {
  const before = xml.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}
