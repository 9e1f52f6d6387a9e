import { toCategoryPreset } from './graph/category-colors.ts';

/**
 * What a mailbox's master category list (Outlook's named, coloured categories) must gain so that
 * the categories on our events show in their configured colours. Pure; both calendar targets use
 * it, so they send (and count) the same requests. Category names compare case-insensitively, as
 * Outlook compares them.
 */

/** A category and the colour it should have (`preset0`…`preset24`). */
export interface WantedCategory {
  readonly displayName: string;
  readonly color: string;
}

/** One entry of a mailbox's master category list as Graph returns it. */
export interface MasterCategory {
  readonly id: string;
  readonly displayName: string;
  readonly color: string;
}

export interface MasterCategoryPlan {
  /** Missing from the list: POST `{displayName, color}`. */
  readonly create: readonly WantedCategory[];
  /** On the list with another colour: PATCH `{color}` (the name stays as the mailbox spells it). */
  readonly recolor: readonly MasterCategory[];
}

/**
 * Category name (lower case) → wanted category, from the `categoryColors` option. A colour that
 * is not a preset is read with `toCategoryPreset` (the config validator already refuses the rest);
 * one it cannot read leaves that category uncoloured rather than failing writes.
 */
export function readCategoryColors(colors: ReadonlyMap<string, string> | undefined): ReadonlyMap<string, WantedCategory> {
  const wanted = new Map<string, WantedCategory>();
  for (const [name, color] of colors ?? []) {
    const preset = toCategoryPreset(color);
    const displayName = name.trim();
    if (preset && displayName) wanted.set(displayName.toLowerCase(), { displayName, color: preset });
  }
  return wanted;
}

/**
 * The coloured categories of one event not yet settled for the mailbox. `settled` maps a lower-case
 * name to the colour already ensured (or attempted recently): a category comes back when its
 * configured colour differs from that.
 */
export function selectUnsettled(
  wanted: ReadonlyMap<string, WantedCategory>,
  settled: ReadonlyMap<string, string>,
  categories: readonly string[],
): WantedCategory[] {
  const out = new Map<string, WantedCategory>();
  for (const name of categories) {
    const key = name.trim().toLowerCase();
    const category = wanted.get(key);
    if (category && settled.get(key) !== category.color) out.set(key, category);
  }
  return [...out.values()];
}

/** Which categories to add and which to recolour so that every wanted one has its colour. */
export function planMasterCategories(existing: readonly MasterCategory[], wanted: readonly WantedCategory[]): MasterCategoryPlan {
  const byName = new Map<string, MasterCategory>();
  for (const category of existing) if (!byName.has(category.displayName.toLowerCase())) byName.set(category.displayName.toLowerCase(), category);
  const create: WantedCategory[] = [];
  const recolor: MasterCategory[] = [];
  for (const category of wanted) {
    const found = byName.get(category.displayName.toLowerCase());
    if (!found) create.push(category);
    else if (found.color.toLowerCase() !== category.color.toLowerCase()) recolor.push({ ...found, color: category.color });
  }
  return { create, recolor };
}
