import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXml } from '../../server/addin/parse-xml.ts';

test('elements, attributes, text and entities come back with their namespaces resolved', () => {
  const parsed = parseXml(`<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<a xmlns="urn:one" xmlns:p="urn:two" p:kind='x &amp; y'>
  <p:b id="1">Tom &lt;&amp;&gt; Jerry &#x41;&#66;<![CDATA[<raw>]]></p:b>
  <c/>
</a>`);
  assert.ok(parsed.ok);
  const { root } = parsed;
  assert.equal(root.localName, 'a');
  assert.equal(root.namespace, 'urn:one');
  assert.equal(root.attributes['p:kind'], 'x & y');
  assert.equal(root.attributeNamespaces['p:kind'], 'urn:two');
  const [b, c] = root.children;
  assert.equal(b.name, 'p:b');
  assert.equal(b.namespace, 'urn:two');
  assert.equal(b.text, 'Tom <&> Jerry AB<raw>');
  assert.equal(b.line, 4);
  assert.equal(c.namespace, 'urn:one');
  assert.deepEqual(c.children, []);
});

const MALFORMED: readonly [string, string, number][] = [
  ['mismatched end tag', '<a>\n<b></a>', 2],
  ['unclosed element', '<a>\n<b/>\n', 3],
  ['unbound prefix', '<a>\n  <x:b/></a>', 2],
  ['duplicate attribute', '<a k="1" k="2"/>', 1],
  ['unquoted attribute', '<a k=1/>', 1],
  ['unknown entity', '<a>&nbsp;</a>', 1],
  ['bare ampersand', '<a>R&D</a>', 1],
  ['two root elements', '<a/>\n<b/>', 2],
  ['a DTD', '<!DOCTYPE a [<!ENTITY x "y">]><a/>', 1],
  ['"--" inside a comment', '<a><!-- run --url x --></a>', 1],
  ['text after the root', '<a/>\ntext', 1],
];

for (const [name, xml, line] of MALFORMED) {
  test(`not well-formed: ${name} is refused with its line`, () => {
    const parsed = parseXml(xml);
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.line, line, parsed.message);
    assert.ok(parsed.message.length > 10);
  });
}
