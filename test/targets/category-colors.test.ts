import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toCategoryPreset } from '../../server/targets/graph/category-colors.ts';
import { planMasterCategories, readCategoryColors, selectUnsettled } from '../../server/targets/plan-master-categories.ts';

/** Outlook desktop's colour of each preset (Graph docs: outlookCategory), Polish name first. */
const TABLE: ReadonlyArray<readonly [string, string, string]> = [
  ['preset0', 'czerwony', 'red'],
  ['preset1', 'pomarańczowy', 'orange'],
  ['preset2', 'brązowy', 'brown'],
  ['preset3', 'żółty', 'yellow'],
  ['preset4', 'zielony', 'green'],
  ['preset5', 'turkusowy', 'teal'],
  ['preset6', 'oliwkowy', 'olive'],
  ['preset7', 'niebieski', 'blue'],
  ['preset8', 'fioletowy', 'purple'],
  ['preset9', 'żurawinowy', 'cranberry'],
  ['preset10', 'stalowy', 'steel'],
  ['preset11', 'ciemnostalowy', 'darksteel'],
  ['preset12', 'szary', 'gray'],
  ['preset13', 'ciemnoszary', 'darkgray'],
  ['preset14', 'czarny', 'black'],
  ['preset15', 'ciemnoczerwony', 'darkred'],
  ['preset16', 'ciemnopomarańczowy', 'darkorange'],
  ['preset17', 'ciemnobrązowy', 'darkbrown'],
  ['preset18', 'ciemnożółty', 'darkyellow'],
  ['preset19', 'ciemnozielony', 'darkgreen'],
  ['preset20', 'ciemnoturkusowy', 'darkteal'],
  ['preset21', 'ciemnooliwkowy', 'darkolive'],
  ['preset22', 'granatowy', 'darkblue'],
  ['preset23', 'ciemnofioletowy', 'darkpurple'],
  ['preset24', 'ciemnożurawinowy', 'darkcranberry'],
];

/** Polish letters written without their marks, as an admin may type them. */
function withoutDiacritics(text: string): string {
  return text.replace(/[ąćęłńóśźż]/g, (ch) => ({ ą: 'a', ć: 'c', ę: 'e', ł: 'l', ń: 'n', ó: 'o', ś: 's', ź: 'z', ż: 'z' })[ch] ?? ch);
}

describe('toCategoryPreset', () => {
  it('every preset by its own name, its Polish and its English colour name, any case, with or without diacritics', () => {
    for (const [preset, polish, english] of TABLE) {
      assert.equal(toCategoryPreset(preset), preset);
      assert.equal(toCategoryPreset(preset.toUpperCase()), preset);
      assert.equal(toCategoryPreset(polish), preset, polish);
      assert.equal(toCategoryPreset(polish.toUpperCase()), preset, polish.toUpperCase());
      assert.equal(toCategoryPreset(withoutDiacritics(polish)), preset, withoutDiacritics(polish));
      assert.equal(toCategoryPreset(english), preset, english);
      assert.equal(toCategoryPreset(english[0].toUpperCase() + english.slice(1)), preset);
    }
  });

  it('spaces, hyphens and the British spelling are accepted', () => {
    assert.equal(toCategoryPreset('grey'), 'preset12');
    assert.equal(toCategoryPreset('Dark Blue'), 'preset22');
    assert.equal(toCategoryPreset('ciemno-zielony'), 'preset19');
    assert.equal(toCategoryPreset('  Czerwony '), 'preset0');
  });

  it('anything else is null', () => {
    for (const text of ['', 'preset25', 'preset-1', 'preset07', 'none', 'różowy', 'pink', '#ff0000', 'lightBlue', 'czerwony1']) {
      assert.equal(toCategoryPreset(text), null, text);
    }
  });
});

describe('master category plan', () => {
  const wanted = readCategoryColors(new Map([['Serwis', 'preset7'], ['Pilne', 'czerwony'], ['Zła', 'różowy']]));

  it('reads colour names into presets and drops colours it cannot read', () => {
    assert.deepEqual([...wanted.values()], [{ displayName: 'Serwis', color: 'preset7' }, { displayName: 'Pilne', color: 'preset0' }]);
  });

  it('selects only coloured categories whose colour is not settled yet (names in any case)', () => {
    assert.deepEqual(selectUnsettled(wanted, new Map(), ['serwis', 'Inna', 'Pilne']).map((c) => c.displayName), ['Serwis', 'Pilne']);
    assert.deepEqual(selectUnsettled(wanted, new Map([['serwis', 'preset7']]), ['Serwis', 'Pilne']).map((c) => c.displayName), ['Pilne']);
    assert.deepEqual(selectUnsettled(wanted, new Map([['serwis', 'preset1']]), ['Serwis']).map((c) => c.displayName), ['Serwis'], 'the configured colour changed');
  });

  it('creates what is missing, recolours what differs, leaves the rest (names compare case-insensitively)', () => {
    const plan = planMasterCategories(
      [
        { id: 'a', displayName: 'SERWIS', color: 'preset1' },
        { id: 'b', displayName: 'Gotowe', color: 'preset4' },
      ],
      [{ displayName: 'Serwis', color: 'preset7' }, { displayName: 'Pilne', color: 'preset0' }, { displayName: 'gotowe', color: 'preset4' }],
    );
    assert.deepEqual(plan.create, [{ displayName: 'Pilne', color: 'preset0' }]);
    assert.deepEqual(plan.recolor, [{ id: 'a', displayName: 'SERWIS', color: 'preset7' }]);
  });
});
