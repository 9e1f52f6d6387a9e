/**
 * Outlook category colours (reference/graph-calendar.md §2, `categories`): a master category's
 * `color` is one of Graph's presets `preset0`…`preset24` (or `none`). Admins write colours in
 * config by name, in Polish or English; this turns a name into its preset.
 */

/** Colour names of each preset, index = preset number (Outlook desktop's names, Polish first). */
const PRESET_NAMES: readonly (readonly string[])[] = [
  ['czerwony', 'red'],
  ['pomarańczowy', 'orange'],
  ['brązowy', 'brown'],
  ['żółty', 'yellow'],
  ['zielony', 'green'],
  ['turkusowy', 'teal'],
  ['oliwkowy', 'olive'],
  ['niebieski', 'blue'],
  ['fioletowy', 'purple'],
  ['żurawinowy', 'cranberry'],
  ['stalowy', 'steel'],
  ['ciemnostalowy', 'darksteel'],
  ['szary', 'gray', 'grey'],
  ['ciemnoszary', 'darkgray', 'darkgrey'],
  ['czarny', 'black'],
  ['ciemnoczerwony', 'darkred'],
  ['ciemnopomarańczowy', 'darkorange'],
  ['ciemnobrązowy', 'darkbrown'],
  ['ciemnożółty', 'darkyellow'],
  ['ciemnozielony', 'darkgreen'],
  ['ciemnoturkusowy', 'darkteal'],
  ['ciemnooliwkowy', 'darkolive'],
  ['granatowy', 'darkblue'],
  ['ciemnofioletowy', 'darkpurple'],
  ['ciemnożurawinowy', 'darkcranberry'],
];

/** Number of Graph colour presets (`preset0`…`preset24`). */
export const CATEGORY_PRESET_COUNT = PRESET_NAMES.length;

const PRESET_BY_NAME: ReadonlyMap<string, string> = new Map(
  PRESET_NAMES.flatMap((names, index) => names.map((name) => [foldName(name), `preset${index}`] as const)),
);

/**
 * The Graph preset (`preset0`…`preset24`) for a colour written in config: a preset as is, or a
 * Polish or English colour name (`czerwony`/`red` → `preset0`, `granatowy`/`darkblue` →
 * `preset22`), any case, with or without Polish diacritics, spaces or hyphens (`dark blue`,
 * `ciemno-zielony`). Null for anything else, so the config validator can name the mistake.
 */
export function toCategoryPreset(color: string): string | null {
  const preset = /^preset(0|[1-9]\d?)$/i.exec(color.trim());
  if (preset) return Number(preset[1]) < CATEGORY_PRESET_COUNT ? `preset${preset[1]}` : null;
  return PRESET_BY_NAME.get(foldName(color)) ?? null;
}

/** Lower case, no diacritics (ą→a, ż→z, ó→o …; ł→l by hand: it does not decompose), no spaces, `-` or `_`. */
function foldName(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replaceAll('ł', 'l')
    .replace(/[\s_-]+/g, '');
}
