import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ADDIN_ID, renderManifest } from '../../server/addin/render-manifest.ts';
import {
  ADDIN_CUSTOM_PROPERTIES_ID, ADDIN_SOURCE_KEY_PROPERTY, STAMP_PROPERTY_ID, toGraphCreateBody,
} from '../../server/targets/graph/graph-event-fields.ts';
import { SOURCE_KEY_PROPERTY } from '../../addin/office/read-selected-item.ts';
import { sampleEvent } from '../contract/calendar-target-contract.ts';

it('the create body carries the stamp and the add-in custom properties, spelled as Office.js names them', () => {
  const body = toGraphCreateBody(sampleEvent(), 'serwis:zlecenie:12', 'tx-1');
  assert.deepEqual(body.singleValueExtendedProperties, [
    { id: STAMP_PROPERTY_ID, value: 'serwis:zlecenie:12' },
    { id: 'String {00020329-0000-0000-C000-000000000046} Name cecp-3d02e23e-db79-4d32-9305-f52fe8cdc6ff', value: '{"sourceKey":"serwis:zlecenie:12"}' },
  ]);
});

it('the property is named after the manifest Id (lower case) and keyed by the name the taskpane reads', () => {
  const manifestId = /<Id>([^<]+)<\/Id>/.exec(renderManifest())?.[1];
  assert.equal(manifestId?.toLowerCase(), ADDIN_ID.toLowerCase());
  assert.ok(ADDIN_CUSTOM_PROPERTIES_ID.endsWith(` Name cecp-${manifestId?.toLowerCase()}`));
  assert.equal(ADDIN_SOURCE_KEY_PROPERTY, SOURCE_KEY_PROPERTY, 'server writes the key the taskpane reads');
});

it('a source key with quotes and backslashes stays valid JSON that reads back to the same key', () => {
  const key = 'serwis:zlecenie:ZS/7 "O\'Brien" \\ ąę';
  const body = toGraphCreateBody(sampleEvent(), key, 'tx-2');
  const [, addin] = body.singleValueExtendedProperties as Array<{ id: string; value: string }>;
  assert.deepEqual(JSON.parse(addin.value), { sourceKey: key });
});
