import type { XmlElement } from './parse-xml.ts';
import { parseXml } from './parse-xml.ts';

/**
 * Offline check of the Outlook add-in's XML manifest. The official XSDs ship in no npm package and
 * cannot be fetched here, so this follows shared/reference/outlook-addin.md §1.2–§1.3 and §2
 * (checks 1–12) plus project policy (both appointment surfaces, icons, WebApplicationInfo, no
 * SupportsPinning on appointments). `office-addin-manifest validate` remains the online check.
 */

export type ManifestProblemCode =
  | 'not-well-formed' | 'namespace' | 'order' | 'unknown-element' | 'duplicate-element' | 'missing-element'
  | 'missing-attribute' | 'bad-value' | 'too-long' | 'not-https' | 'missing-resource' | 'duplicate-id'
  | 'icon-size' | 'pinning' | 'sso';

export interface ManifestProblem {
  readonly code: ManifestProblemCode;
  /** Element path, e.g. `OfficeApp/VersionOverrides/…/Control[@id=btn]/Label`. */
  readonly path: string;
  readonly message: string;
  readonly line: number;
}

export const NS = {
  app: 'http://schemas.microsoft.com/office/appforoffice/1.1',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  bt: 'http://schemas.microsoft.com/office/officeappbasictypes/1.0',
  vo10: 'http://schemas.microsoft.com/office/mailappversionoverrides/1.0',
  vo11: 'http://schemas.microsoft.com/office/mailappversionoverrides/1.1',
} as const;

interface ChildRule {
  /** Allowed children in schema order. */
  readonly order: readonly string[];
  readonly required: readonly string[];
  readonly repeatable?: readonly string[];
}

/** §1.2 (MailApp); required = schema-required plus project policy (icons, Permissions, VersionOverrides). */
const RULES = {
  OfficeApp: {
    order: ['Id', 'AlternateId', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl',
      'HighResolutionIconUrl', 'SupportUrl', 'AppDomains', 'Hosts', 'Requirements', 'FormSettings', 'Permissions', 'Rule',
      'DisableEntityHighlighting', 'VersionOverrides'],
    required: ['Id', 'Version', 'ProviderName', 'DefaultLocale', 'DisplayName', 'Description', 'IconUrl', 'HighResolutionIconUrl',
      'FormSettings', 'Permissions', 'Rule', 'VersionOverrides'],
  },
  VersionOverridesV1_0: { order: ['Description', 'Requirements', 'Hosts', 'Resources', 'VersionOverrides'], required: ['Requirements', 'Hosts', 'Resources', 'VersionOverrides'] },
  VersionOverridesV1_1: { order: ['Description', 'Requirements', 'Hosts', 'Resources', 'WebApplicationInfo', 'EquivalentAddins'], required: ['Requirements', 'Hosts', 'Resources', 'WebApplicationInfo'] },
  Resources: { order: ['Images', 'Urls', 'ShortStrings', 'LongStrings'], required: ['Images', 'Urls', 'ShortStrings', 'LongStrings'] },
  Group: { order: ['Label', 'Control'], required: ['Label', 'Control'], repeatable: ['Control'] },
  Control: { order: ['Label', 'Supertip', 'Icon', 'Action'], required: ['Label', 'Supertip', 'Icon', 'Action'] },
  Supertip: { order: ['Title', 'Description'], required: ['Title', 'Description'] },
  Action: { order: ['SourceLocation', 'SupportsPinning'], required: ['SourceLocation'] },
  WebApplicationInfo: { order: ['Id', 'Resource', 'Scopes'], required: ['Id', 'Resource', 'Scopes'] },
} as const satisfies Record<string, ChildRule>;

const LIMITS = { short: 125, long: 250, url: 2048, resid: 32 } as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VERSION = /^\d{1,5}(\.\d{1,5}){0,3}$/;
const LOCALE = /^[a-z]{2,3}-[A-Z]{2}$/;
const PERMISSIONS = ['Restricted', 'ReadItem', 'ReadWriteItem', 'ReadWriteMailbox'];
const APPOINTMENT_SURFACES = ['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface'];
const ICON_REQUIRED = ['16', '32', '80'];
const ICON_ALLOWED = new Set([...ICON_REQUIRED, '20', '24', '40', '48', '64']);
/** Which resource collection a `resid` must resolve in, by the referring element. */
const RESID_TARGET: Readonly<Record<string, string>> = { Image: 'Images', SourceLocation: 'Urls', Label: 'ShortStrings', Title: 'ShortStrings', Description: 'LongStrings' };

type Report = (code: ManifestProblemCode, path: string, el: XmlElement | null, message: string) => void;

/** All problems found in `xml`, each with the element path; empty = passes the offline check. */
export function validateManifest(xml: string): readonly ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const report: Report = (code, path, el, message) => { problems.push({ code, path, message, line: el?.line ?? 0 }); };
  const parsed = parseXml(xml);
  if (!parsed.ok) {
    report('not-well-formed', `(wiersz ${parsed.line}, kolumna ${parsed.column})`, null, `XML jest niepoprawny: ${parsed.message}`);
    return problems;
  }
  const root = parsed.root;
  if (root.localName !== 'OfficeApp' || root.namespace !== NS.app) {
    report('namespace', root.name, root, `Element główny musi być <OfficeApp xmlns="${NS.app}">, jest <${root.name}> w przestrzeni „${root.namespace}”.`);
    return problems;
  }
  if (xsiType(root) !== 'MailApp') report('bad-value', 'OfficeApp', root, 'OfficeApp musi mieć xsi:type="MailApp" (dodatek Outlooka) z xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance".');
  checkNamespaces(root, 'OfficeApp', NS.app, false, report);
  checkChildren(root, 'OfficeApp', RULES.OfficeApp, report);
  checkTopLevel(root, report);
  const outer = child(root, 'VersionOverrides');
  if (outer) {
    const outerPath = `OfficeApp/${segment(outer)}`;
    checkVersionOverrides(outer, outerPath, false, report);
    const inner = child(outer, 'VersionOverrides');
    if (inner) checkVersionOverrides(inner, `${outerPath}/${segment(inner)}`, true, report);
  }
  checkUrls(root, 'OfficeApp', report);
  return problems;
}

/** One line per problem, for the command line. */
export function formatManifestProblems(problems: readonly ManifestProblem[]): string {
  return problems.map((p) => `${p.line ? `wiersz ${p.line}: ` : ''}${p.path}: ${p.message}`).join('\n');
}

function checkTopLevel(root: XmlElement, report: Report): void {
  const id = child(root, 'Id');
  if (id && !GUID.test(id.text.trim())) report('bad-value', 'OfficeApp/Id', id, `Id „${id.text.trim()}” nie jest identyfikatorem GUID — wpisz stały GUID i nigdy go nie zmieniaj.`);
  const version = child(root, 'Version');
  if (version && !VERSION.test(version.text.trim())) report('bad-value', 'OfficeApp/Version', version, `Version „${version.text.trim()}” musi mieć 1–4 liczby po najwyżej 5 cyfr, rozdzielone kropkami (np. 1.0.0.0).`);
  const provider = child(root, 'ProviderName');
  if (provider && provider.text.trim() === '') report('bad-value', 'OfficeApp/ProviderName', provider, 'ProviderName nie może być pusty.');
  const locale = child(root, 'DefaultLocale');
  if (locale && !LOCALE.test(locale.text.trim())) report('bad-value', 'OfficeApp/DefaultLocale', locale, `DefaultLocale „${locale.text.trim()}” musi mieć postać języka i kraju, np. en-US.`);
  checkLocalized(root, 'DisplayName', LIMITS.short, report);
  checkLocalized(root, 'Description', LIMITS.long, report);
  const permissions = child(root, 'Permissions');
  if (permissions && !PERMISSIONS.includes(permissions.text.trim())) {
    report('bad-value', 'OfficeApp/Permissions', permissions, `Permissions „${permissions.text.trim()}” — dozwolone: ${PERMISSIONS.join(', ')}.`);
  }
  const rule = child(root, 'Rule');
  if (rule) checkRule(rule, 'OfficeApp/Rule', report);
  const sourceLocation = find(root, ['FormSettings', 'Form', 'DesktopSettings', 'SourceLocation']);
  if (child(root, 'FormSettings') && !sourceLocation) {
    report('missing-element', 'OfficeApp/FormSettings', child(root, 'FormSettings'), 'FormSettings potrzebuje Form xsi:type="ItemRead" z DesktopSettings/SourceLocation (wymagane przez schemat).');
  }
}

function checkLocalized(parent: XmlElement, name: string, limit: number, report: Report): void {
  const el = child(parent, name);
  if (!el) return;
  const path = `OfficeApp/${name}`;
  checkText(el, path, 'DefaultValue', limit, report);
  for (const o of el.children.filter((c) => c.localName === 'Override')) {
    const oPath = `${path}/${segment(o)}`;
    if (!LOCALE.test(o.attributes.Locale ?? '')) report('bad-value', oPath, o, 'Override potrzebuje atrybutu Locale w postaci np. pl-PL.');
    checkText(o, oPath, 'Value', limit, report);
  }
}

function checkText(el: XmlElement, path: string, attribute: string, limit: number, report: Report): void {
  const value = el.attributes[attribute];
  if (value === undefined) report('missing-attribute', path, el, `${el.localName} potrzebuje atrybutu ${attribute}.`);
  else if (value.trim() === '') report('bad-value', path, el, `${attribute} nie może być pusty.`);
  else if ([...value].length > limit) report('too-long', path, el, `${attribute} ma ${[...value].length} znaków, dozwolone najwyżej ${limit} — skróć tekst.`);
}

function checkRule(rule: XmlElement, path: string, report: Report): void {
  const type = xsiType(rule);
  if (type === 'RuleCollection') {
    rule.children.filter((c) => c.localName === 'Rule').forEach((r, i) => checkRule(r, `${path}/Rule[${i + 1}]`, report));
    return;
  }
  if (type !== 'ItemIs') return;
  if (!rule.attributes.ItemType) report('missing-attribute', path, rule, 'Reguła ItemIs potrzebuje ItemType (tu: Appointment).');
  if (!['Read', 'Edit', 'ReadOrEdit'].includes(rule.attributes.FormType ?? '')) {
    report('missing-attribute', path, rule, 'Reguła ItemIs potrzebuje FormType="Read", "Edit" albo "ReadOrEdit".');
  }
}

function checkVersionOverrides(vo: XmlElement, path: string, isV11: boolean, report: Report): void {
  const expected = isV11 ? 'VersionOverridesV1_1' : 'VersionOverridesV1_0';
  if (xsiType(vo) !== expected) report('bad-value', path, vo, `Ten VersionOverrides musi mieć xsi:type="${expected}".`);
  checkChildren(vo, path, isV11 ? RULES.VersionOverridesV1_1 : RULES.VersionOverridesV1_0, report);

  const requirements = child(vo, 'Requirements');
  const sets = requirements && child(requirements, 'Sets');
  if (requirements && (!sets || !sets.children.some((s) => s.localName === 'Set' && s.attributes.Name === 'Mailbox'))) {
    report('missing-element', `${path}/Requirements`, requirements, 'Requirements potrzebuje <bt:Sets DefaultMinVersion="…"><bt:Set Name="Mailbox"/></bt:Sets>.');
  }

  const resources = child(vo, 'Resources');
  const ids = resources ? checkResources(resources, `${path}/Resources`, report) : new Map<string, string>();
  const hosts = child(vo, 'Hosts');
  const taskpaneIds = hosts ? checkHosts(hosts, `${path}/Hosts`, ids, report) : [];

  const sso = child(vo, 'WebApplicationInfo');
  if (sso && isV11) {
    const urls = resources ? find(resources, ['Urls']) : null;
    const pane = urls?.children.find((u) => u.attributes.id === taskpaneIds[0])?.attributes.DefaultValue;
    checkWebApplicationInfo(sso, `${path}/WebApplicationInfo`, pane, report);
  }
}

/** Resource ids by id → collection; reports duplicates, length limits, missing values. */
function checkResources(resources: XmlElement, path: string, report: Report): Map<string, string> {
  checkChildren(resources, path, RULES.Resources, report);
  const ids = new Map<string, string>();
  for (const collection of resources.children) {
    const limit = collection.localName === 'ShortStrings' ? LIMITS.short : collection.localName === 'LongStrings' ? LIMITS.long : null;
    for (const entry of collection.children) {
      const entryPath = `${path}/${segment(collection)}/${segment(entry)}`;
      const id = entry.attributes.id;
      if (!id) { report('missing-attribute', entryPath, entry, `${entry.name} potrzebuje atrybutu id.`); continue; }
      if (id.length > LIMITS.resid) report('too-long', entryPath, entry, `Identyfikator zasobu „${id}” ma ${id.length} znaków, dozwolone najwyżej ${LIMITS.resid}.`);
      if (ids.has(id)) report('duplicate-id', entryPath, entry, `Identyfikator zasobu „${id}” powtarza się (pierwszy w ${ids.get(id)}) — każdy zasób musi mieć własny id.`);
      else ids.set(id, collection.localName);
      if (limit === null) continue;
      checkText(entry, entryPath, 'DefaultValue', limit, report);
      for (const o of entry.children.filter((c) => c.localName === 'Override')) checkText(o, `${entryPath}/${segment(o)}`, 'Value', limit, report);
    }
  }
  return ids;
}

/** Checks the command surfaces; returns the resids of the taskpane URLs the buttons open. */
function checkHosts(hosts: XmlElement, path: string, ids: ReadonlyMap<string, string>, report: Report): string[] {
  const host = hosts.children.find((h) => h.localName === 'Host');
  if (!host || xsiType(host) !== 'MailHost') {
    report('missing-element', path, hosts, 'Hosts potrzebuje <Host xsi:type="MailHost">.');
    return [];
  }
  const form = child(host, 'DesktopFormFactor');
  const hostPath = `${path}/${segment(host)}`;
  if (!form) { report('missing-element', hostPath, host, 'Host potrzebuje DesktopFormFactor z punktami rozszerzeń.'); return []; }
  const points = form.children.filter((c) => c.localName === 'ExtensionPoint');
  for (const surface of APPOINTMENT_SURFACES) {
    if (!points.some((p) => xsiType(p) === surface)) report('missing-element', `${hostPath}/DesktopFormFactor`, form, `Brak ExtensionPoint xsi:type="${surface}" — przycisk musi być w trybie organizatora i uczestnika.`);
  }
  const seen = new Map<string, string>();
  const taskpanes: string[] = [];
  for (const point of points) {
    const pointPath = `${hostPath}/DesktopFormFactor/${segment(point)}`;
    walk(point, pointPath, (el, elPath, parent) => {
      if (el.localName === 'Group' || el.localName === 'Control') {
        const id = el.attributes.id;
        if (!id) report('missing-attribute', elPath, el, `${el.localName} potrzebuje atrybutu id.`);
        else if (seen.has(id)) report('duplicate-id', elPath, el, `Identyfikator ${el.localName} „${id}” powtarza się (pierwszy: ${seen.get(id)}).`);
        else seen.set(id, elPath);
        checkChildren(el, elPath, el.localName === 'Group' ? RULES.Group : RULES.Control, report);
      }
      if (el.localName === 'Supertip') checkChildren(el, elPath, RULES.Supertip, report);
      if (el.localName === 'Action') {
        checkChildren(el, elPath, RULES.Action, report);
        const resid = child(el, 'SourceLocation')?.attributes.resid;
        if (xsiType(el) === 'ShowTaskpane' && resid) taskpanes.push(resid);
      }
      if (el.localName === 'Icon') checkIconSizes(el, elPath, report);
      if (el.localName === 'SupportsPinning' && APPOINTMENT_SURFACES.includes(xsiType(point) ?? '')) {
        report('pinning', elPath, el, 'Usuń SupportsPinning: Outlook nie ma przypinanego okienka zadań dla terminów (tylko dla wiadomości, V1_1, Mailbox 1.5).');
      }
      const resid = el.attributes.resid;
      if (resid === undefined) return;
      const target = el.localName === 'Description' && parent?.localName !== 'Supertip' ? undefined : RESID_TARGET[el.localName];
      if (resid.length > LIMITS.resid) report('too-long', elPath, el, `resid „${resid}” ma ${resid.length} znaków, dozwolone najwyżej ${LIMITS.resid}.`);
      if (!ids.has(resid)) report('missing-resource', elPath, el, `resid „${resid}” nie wskazuje żadnego zasobu — dodaj go w Resources/bt:${target ?? '…'}.`);
      else if (target && ids.get(resid) !== target) report('missing-resource', elPath, el, `resid „${resid}” wskazuje zasób z bt:${ids.get(resid)}, a ${el.localName} potrzebuje zasobu z bt:${target}.`);
    });
  }
  return taskpanes;
}

function checkIconSizes(icon: XmlElement, path: string, report: Report): void {
  const sizes = icon.children.filter((c) => c.localName === 'Image').map((c) => c.attributes.size ?? '');
  for (const size of ICON_REQUIRED) if (!sizes.includes(size)) report('icon-size', path, icon, `Icon potrzebuje bt:Image size="${size}" (wymagane 16, 32 i 80).`);
  for (const size of sizes) if (!ICON_ALLOWED.has(size)) report('icon-size', path, icon, `Rozmiar ikony „${size}” jest niedozwolony — dozwolone 16, 20, 24, 32, 40, 48, 64, 80.`);
  if (new Set(sizes).size !== sizes.length) report('icon-size', path, icon, 'Każdy rozmiar ikony może wystąpić tylko raz.');
}

function checkWebApplicationInfo(sso: XmlElement, path: string, taskpaneUrl: string | undefined, report: Report): void {
  checkChildren(sso, path, RULES.WebApplicationInfo, report);
  const id = child(sso, 'Id')?.text.trim();
  const resource = child(sso, 'Resource')?.text.trim();
  if (id !== undefined && !GUID.test(id)) report('sso', `${path}/Id`, child(sso, 'Id'), `WebApplicationInfo/Id „${id}” musi być identyfikatorem aplikacji (klienta) z Entra ID (GUID).`);
  if (id !== undefined && resource !== undefined && taskpaneUrl && URL.canParse(taskpaneUrl)) {
    const expected = `api://${new URL(taskpaneUrl).host}/${id}`;
    if (resource !== expected) report('sso', `${path}/Resource`, child(sso, 'Resource'), `Resource musi być „${expected}” (api://<host okienka zadań>/<Id>), jest „${resource}”.`);
  }
  const scopes = child(sso, 'Scopes');
  const names = scopes?.children.filter((s) => s.localName === 'Scope').map((s) => s.text.trim()) ?? [];
  for (const needed of ['openid', 'profile']) {
    if (scopes && !names.includes(needed)) report('sso', `${path}/Scopes`, scopes, `Scopes potrzebuje <Scope>${needed}</Scope>.`);
  }
}

/** Every URL field (and its Overrides) must be an absolute https URL within the length limit. */
function checkUrls(root: XmlElement, rootPath: string, report: Report): void {
  const urlElements = new Set(['IconUrl', 'HighResolutionIconUrl', 'SupportUrl', 'SourceLocation', 'Image', 'Url']);
  walk(root, rootPath, (el, path, parent) => {
    const values: [string, string][] = [];
    if (el.localName === 'AppDomain') values.push(['', el.text.trim()]);
    const isUrlField = urlElements.has(el.localName) && el.attributes.resid === undefined && !(el.localName === 'Image' && el.attributes.size !== undefined);
    if (isUrlField && el.attributes.DefaultValue !== undefined) values.push(['DefaultValue', el.attributes.DefaultValue]);
    if (el.localName === 'Override' && parent && urlElements.has(parent.localName) && el.attributes.Value !== undefined) values.push(['Value', el.attributes.Value]);
    for (const [attribute, value] of values) {
      const where = attribute ? ` (${attribute})` : '';
      if (!/^https:\/\//i.test(value) || !URL.canParse(value)) report('not-https', path, el, `Adres „${value}”${where} musi być pełnym adresem https:// — Outlook ładuje dodatek tylko przez HTTPS.`);
      else if (value.length > LIMITS.url) report('too-long', path, el, `Adres${where} ma ${value.length} znaków, dozwolone najwyżej ${LIMITS.url}.`);
    }
  });
}

/** Children in the allowed order, each known, required ones present, non-repeatable ones once. */
function checkChildren(el: XmlElement, path: string, rule: ChildRule, report: Report): void {
  let highest = -1;
  let highestName = '';
  const counts = new Map<string, number>();
  for (const c of el.children) {
    const index = rule.order.indexOf(c.localName);
    const cPath = `${path}/${segment(c)}`;
    if (index === -1) {
      report('unknown-element', cPath, c, `<${c.name}> nie jest dozwolonym elementem w ${el.localName} — dozwolone (w tej kolejności): ${rule.order.join(', ')}.`);
      continue;
    }
    counts.set(c.localName, (counts.get(c.localName) ?? 0) + 1);
    if (counts.get(c.localName) === 2 && !rule.repeatable?.includes(c.localName)) {
      report('duplicate-element', cPath, c, `<${c.name}> może wystąpić w ${el.localName} tylko raz.`);
    }
    if (index < highest) {
      report('order', cPath, c, `<${c.name}> musi stać przed <${highestName}> — kolejność w ${el.localName}: ${rule.order.join(', ')}.`);
    } else {
      highest = index;
      highestName = c.name;
    }
  }
  for (const name of rule.required) {
    if (!counts.has(name)) report('missing-element', path, el, `Brak wymaganego elementu <${name}> w ${el.localName}.`);
  }
}

/**
 * Namespaces (§1.1): OfficeApp content in appforoffice/1.1; each VersionOverrides and its content
 * in mailappversionoverrides/1.0 or /1.1; resources, requirement sets and icon images in bt.
 */
function checkNamespaces(el: XmlElement, path: string, expected: string, inBt: boolean, report: Report): void {
  if (el.namespace !== expected) {
    report('namespace', path, el, `<${el.name}> musi być w przestrzeni nazw ${expected}, jest w „${el.namespace}” — sprawdź xmlns i prefiks.`);
  }
  for (const c of el.children) {
    let next = expected;
    if (c.localName === 'VersionOverrides') next = el.localName === 'OfficeApp' ? NS.vo10 : NS.vo11;
    const bt = inBt || el.localName === 'Resources' || el.localName === 'Icon' || (el.localName === 'Requirements' && expected !== NS.app);
    checkNamespaces(c, `${path}/${segment(c)}`, bt && c.localName !== 'VersionOverrides' ? NS.bt : next, bt, report);
  }
}

function walk(el: XmlElement, path: string, visit: (el: XmlElement, path: string, parent: XmlElement | null) => void, parent: XmlElement | null = null): void {
  visit(el, path, parent);
  for (const c of el.children) walk(c, `${path}/${segment(c)}`, visit, el);
}

function xsiType(el: XmlElement): string | undefined {
  const name = Object.keys(el.attributes).find((n) => el.attributeNamespaces[n] === NS.xsi && n.endsWith(':type'));
  return name ? el.attributes[name] : undefined;
}

function child(el: XmlElement, localName: string): XmlElement | null {
  return el.children.find((c) => c.localName === localName) ?? null;
}

function find(el: XmlElement, names: readonly string[]): XmlElement | null {
  let current: XmlElement | null = el;
  for (const name of names) current = current && child(current, name);
  return current;
}

/** `Name[@id=…]`, or the xsi:type / Locale / size that tells siblings apart. */
function segment(el: XmlElement): string {
  const type = xsiType(el);
  const key = el.attributes.id !== undefined ? `@id=${el.attributes.id}`
    : type !== undefined ? `@xsi:type=${type}`
      : el.attributes.Locale !== undefined ? `@Locale=${el.attributes.Locale}`
        : el.attributes.size !== undefined ? `@size=${el.attributes.size}` : '';
  return key ? `${el.name}[${key}]` : el.name;
}
