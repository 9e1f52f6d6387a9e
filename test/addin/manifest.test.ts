import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { XmlElement } from '../../server/addin/parse-xml.ts';
import { parseXml } from '../../server/addin/parse-xml.ts';
import { ADDIN_ID, ICON_SIZES, renderManifest } from '../../server/addin/render-manifest.ts';
import type { ManifestProblem } from '../../server/addin/validate-manifest.ts';
import { validateManifest } from '../../server/addin/validate-manifest.ts';
import { runManifest } from '../../server/cli/manifest-command.ts';
import { runValidateManifest } from '../../server/cli/validate-manifest-command.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const committed = readFileSync(join(root, 'manifest.xml'), 'utf8');

function elements(el: XmlElement): XmlElement[] {
  return [el, ...el.children.flatMap(elements)];
}

function parse(xml: string): XmlElement {
  const parsed = parseXml(xml);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.message);
  return parsed.root;
}

/** Every URL in attribute values and text, apart from namespace declarations. */
function urlsIn(xml: string): URL[] {
  const values = elements(parse(xml)).flatMap((el) => [
    ...Object.entries(el.attributes).filter(([name]) => name !== 'xmlns' && !name.startsWith('xmlns:')).map(([, v]) => v),
    el.text.trim(),
  ]);
  return values.filter((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v)).map((v) => new URL(v));
}

function describe(problems: readonly ManifestProblem[]): string {
  return problems.map((p) => `${p.code} ${p.path}: ${p.message}`).join('\n');
}

test('the committed manifest.xml passes the offline check and is exactly the template rendered with the defaults', () => {
  assert.deepEqual(validateManifest(committed), [], describe(validateManifest(committed)));
  // One source of URLs: regenerate with `optima-sync manifest --out manifest.xml` after changing the template.
  assert.equal(committed, renderManifest());
});

test('Microsoft\'s own manifest reader (office-addin-manifest) reads the committed manifest as a MailApp with ReadItem', async () => {
  const { OfficeAddinManifest } = createRequire(import.meta.url)('office-addin-manifest') as {
    OfficeAddinManifest: { readManifestFile(path: string): Promise<Record<string, unknown>> };
  };
  const info = await OfficeAddinManifest.readManifestFile(join(root, 'manifest.xml'));
  assert.equal(info.id, ADDIN_ID);
  assert.equal(info.officeAppType, 'MailApp');
  assert.equal(info.version, '1.0.0.0');
  assert.equal(info.permissions, 'ReadItem');
});

test('the manifest puts a taskpane button on both appointment forms, in Polish and English, without pinning', () => {
  const all = elements(parse(committed));
  const surfaces = all.filter((e) => e.localName === 'ExtensionPoint').map((e) => e.attributes['xsi:type']);
  // V1_0 and V1_1 each carry both surfaces.
  assert.deepEqual([...new Set(surfaces)].sort(), ['AppointmentAttendeeCommandSurface', 'AppointmentOrganizerCommandSurface']);
  assert.equal(surfaces.length, 4);
  assert.ok(all.filter((e) => e.localName === 'Action').every((a) => a.attributes['xsi:type'] === 'ShowTaskpane'));
  assert.equal(all.some((e) => e.localName === 'SupportsPinning'), false);
  const strings = all.filter((e) => e.name === 'bt:String');
  assert.ok(strings.length >= 6);
  for (const s of strings) {
    assert.ok(s.attributes.DefaultValue, `${s.attributes.id} has an English default`);
    assert.ok(s.children.some((o) => o.attributes.Locale === 'pl-PL' && o.attributes.Value), `${s.attributes.id} has a Polish override`);
  }
  const buttonPl = strings.find((s) => s.attributes.id === 'Optima.Button.Label')?.children[0]?.attributes.Value;
  assert.equal(buttonPl, 'Rekord Optimy');
  const displayName = all.find((e) => e.localName === 'DisplayName');
  assert.ok(displayName?.children.some((o) => o.attributes.Locale === 'pl-PL'));
});

test('every icon the manifest names exists in addin/assets as a PNG of that size', () => {
  const icons = urlsIn(committed).filter((u) => u.pathname.startsWith('/addin/assets/'));
  assert.deepEqual([...new Set(icons.map((u) => u.pathname))].sort(), ICON_SIZES.map((s) => `/addin/assets/icon-${s}.png`).sort());
  for (const size of ICON_SIZES) {
    const png = readFileSync(join(root, 'addin', 'assets', `icon-${size}.png`));
    assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
    assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], `icon-${size}.png`);
  }
});

test('a manifest rendered for the admin\'s server has every URL on that host, and SSO names that host and client id', () => {
  const clientId = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  const xml = renderManifest({ baseUrl: 'https://serwer.firma.pl:3443/', clientId });
  assert.deepEqual(validateManifest(xml), [], describe(validateManifest(xml)));
  const urls = urlsIn(xml);
  assert.ok(urls.length >= 10, `found ${urls.length} URLs`);
  for (const url of urls) assert.equal(url.host, 'serwer.firma.pl:3443', url.href);
  assert.ok(!xml.includes('localhost'));
  const https = urls.filter((u) => u.protocol === 'https:').map((u) => u.href);
  assert.ok(https.includes('https://serwer.firma.pl:3443/addin/taskpane.html'));
  assert.ok(xml.includes(`<Resource>api://serwer.firma.pl:3443/${clientId}</Resource>`));
  assert.ok(xml.includes(`<Id>${clientId}</Id>`));
});

/** Each broken variant: a text edit of the committed manifest and the problem it must produce. */
const BROKEN: readonly { name: string; edit: (xml: string) => string; code: ManifestProblem['code']; path: RegExp }[] = [
  {
    name: 'Permissions after Rule (wrong order)',
    edit: (x) => x.replace(/(  <Permissions>ReadItem<\/Permissions>\n)(  <Rule [^\n]*\n)/, '$2$1'),
    code: 'order', path: /^OfficeApp\/Permissions$/,
  },
  {
    name: 'WebApplicationInfo before Resources (wrong order)',
    edit: (x) => x.replace(/(\s*<!-- Legacy[^\n]*)?(\n\s*<WebApplicationInfo>[\s\S]*?<\/WebApplicationInfo>)/, '').replace(
      /(\n      <Resources>)/, `\n      <WebApplicationInfo><Id>${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}</Id><Resource>api://localhost:3000/00000000-0000-0000-0000-000000000000</Resource><Scopes><Scope>openid</Scope><Scope>profile</Scope></Scopes></WebApplicationInfo>$1`),
    code: 'order', path: /VersionOverrides\[@xsi:type=VersionOverridesV1_1\]\/Resources$/,
  },
  {
    name: 'ProviderName missing',
    edit: (x) => x.replace(/  <ProviderName>[^<]*<\/ProviderName>\n/, ''),
    code: 'missing-element', path: /^OfficeApp$/,
  },
  {
    name: 'Supertip without Description',
    edit: (x) => x.replace(/<Description resid="Optima.Button.Tooltip"\/>/, ''),
    code: 'missing-element', path: /Control\[@id=btnOptimaOrganizer\]\/Supertip$/,
  },
  {
    name: 'taskpane URL over http',
    edit: (x) => x.replace(/(<bt:Url id="Optima.Taskpane.Url" DefaultValue=")https:/, '$1http:'),
    code: 'not-https', path: /bt:Urls\/bt:Url\[@id=Optima.Taskpane.Url\]$/,
  },
  {
    name: 'IconUrl over http',
    edit: (x) => x.replace(/<IconUrl DefaultValue="https:/, '<IconUrl DefaultValue="http:'),
    code: 'not-https', path: /^OfficeApp\/IconUrl$/,
  },
  {
    name: 'duplicate resource id',
    edit: (x) => x.replace(/<bt:Image id="Optima.Icon.32"/, '<bt:Image id="Optima.Icon.16"'),
    code: 'duplicate-id', path: /bt:Images\/bt:Image\[@id=Optima.Icon.16\]$/,
  },
  {
    name: 'Polish button label over 125 characters',
    edit: (x) => x.replace('Value="Rekord Optimy"', `Value="${'Rekord Optimy '.repeat(10)}"`),
    code: 'too-long', path: /bt:String\[@id=Optima.Button.Label\]\/bt:Override\[@Locale=pl-PL\]$/,
  },
  {
    name: 'DisplayName over 125 characters',
    edit: (x) => x.replace('<DisplayName DefaultValue="Optima Sync"', `<DisplayName DefaultValue="${'x'.repeat(126)}"`),
    code: 'too-long', path: /^OfficeApp\/DisplayName$/,
  },
  {
    name: 'SupportsPinning on an appointment surface',
    edit: (x) => x.replace(/(<SourceLocation resid="Optima.Taskpane.Url"\/>)/, '$1<SupportsPinning>true</SupportsPinning>'),
    code: 'pinning', path: /AppointmentOrganizerCommandSurface\].*\/Action\[@xsi:type=ShowTaskpane\]\/SupportsPinning$/,
  },
  {
    name: 'resid that names no resource',
    edit: (x) => x.replace('<Label resid="Optima.Button.Label"/>', '<Label resid="Optima.Button.Missing"/>'),
    code: 'missing-resource', path: /Control\[@id=btnOptimaOrganizer\]\/Label$/,
  },
  {
    name: 'Label pointing at a long string',
    edit: (x) => x.replace('<Label resid="Optima.Button.Label"/>', '<Label resid="Optima.Button.Tooltip"/>'),
    code: 'missing-resource', path: /Control\[@id=btnOptimaOrganizer\]\/Label$/,
  },
  {
    name: 'button icon without the 80 px size',
    edit: (x) => x.replace('<bt:Image size="80" resid="Optima.Icon.80"/>', ''),
    code: 'icon-size', path: /Control\[@id=btnOptimaOrganizer\]\/Icon$/,
  },
  {
    name: 'Id that is not a GUID',
    edit: (x) => x.replace(`<Id>${ADDIN_ID}</Id>`, '<Id>optima-sync</Id>'),
    code: 'bad-value', path: /^OfficeApp\/Id$/,
  },
  {
    name: 'Version with five parts',
    edit: (x) => x.replace('<Version>1.0.0.0</Version>', '<Version>1.0.0.0.0</Version>'),
    code: 'bad-value', path: /^OfficeApp\/Version$/,
  },
  {
    name: 'WebApplicationInfo Resource on another host',
    edit: (x) => x.replace('<Resource>api://localhost:3000/', '<Resource>api://inny.firma.pl/'),
    code: 'sso', path: /WebApplicationInfo\/Resource$/,
  },
  {
    name: 'bt prefix bound to a wrong namespace',
    edit: (x) => x.replace('xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/1.0"', 'xmlns:bt="http://schemas.microsoft.com/office/officeappbasictypes/2.0"'),
    code: 'namespace', path: /Resources\/bt:Images$/,
  },
  {
    name: 'an unclosed element',
    edit: (x) => x.replace('</Supertip>', ''),
    code: 'not-well-formed', path: /wiersz \d+/,
  },
];

for (const variant of BROKEN) {
  test(`a broken manifest fails with a problem naming the element: ${variant.name}`, () => {
    const broken = variant.edit(committed);
    assert.notEqual(broken, committed, 'the edit must change the manifest');
    const problems = validateManifest(broken);
    assert.ok(
      problems.some((p) => p.code === variant.code && variant.path.test(p.path) && p.message.length > 20),
      `expected ${variant.code} at ${variant.path}, got:\n${describe(problems)}`,
    );
  });
}

test('optima-sync manifest writes a valid manifest for the given server and refuses http or a bad client id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-manifest-'));
  const out: string[] = [];
  const notices: string[] = [];
  const io = { write: (t: string) => { out.push(t); }, writeNotice: (t: string) => { notices.push(t); } };
  try {
    const file = join(dir, 'manifest.xml');
    assert.equal(runManifest({ url: 'https://serwer:3443', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', out: file, ...io }), 0);
    const xml = readFileSync(file, 'utf8');
    assert.deepEqual(validateManifest(xml), []);
    assert.ok(urlsIn(xml).every((u) => u.host === 'serwer:3443'));
    assert.match(notices.join(''), /api:\/\/serwer:3443\/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/);

    const refused = join(dir, 'http.xml');
    assert.equal(runManifest({ url: 'http://serwer:3000', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', out: refused, ...io }), 2);
    assert.equal(existsSync(refused), false);
    assert.match(notices.join(''), /https:\/\//);
    assert.equal(runManifest({ url: 'https://serwer:3443', clientId: 'moja-aplikacja', out: refused, ...io }), 2);
    assert.equal(existsSync(refused), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('validate:manifest: offline check first; an unreachable validation service is a notice, a rejection is a failure', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'optima-manifest-'));
  try {
    const good = join(dir, 'manifest.xml');
    runManifest({ out: good, clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', write: () => {}, writeNotice: () => {} });
    let calls = 0;
    const reply = (code: number, output: string) => async () => { calls++; return { code, output }; };
    const out: string[] = [];
    const write = (t: string) => { out.push(t); };

    const offline = 'Error: Unable to contact the manifest validation service.\nFetchError: getaddrinfo ENOTFOUND validationgateway.omex.office.net\n';
    assert.equal(await runValidateManifest({ file: good, runOnline: reply(1, offline), write }), 0);
    assert.match(out.join(''), /pominięta/);
    assert.equal(await runValidateManifest({ file: good, runOnline: reply(1, 'Error #1: …\nThe manifest is not valid.\n'), write }), 1);
    assert.equal(await runValidateManifest({ file: good, runOnline: reply(0, 'The manifest is valid.\n'), write }), 0);
    assert.equal(calls, 3);

    const bad = join(dir, 'bad.xml');
    runManifest({ url: 'https://serwer:3443', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', out: bad, write: () => {}, writeNotice: () => {} });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(bad, readFileSync(bad, 'utf8').replace('<Permissions>ReadItem</Permissions>', '<Permissions>Everything</Permissions>'));
    out.length = 0;
    assert.equal(await runValidateManifest({ file: bad, runOnline: reply(0, ''), write }), 1);
    assert.equal(calls, 3, 'the online check does not run after an offline failure');
    assert.match(out.join(''), /OfficeApp\/Permissions/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
