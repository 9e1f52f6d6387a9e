/**
 * Single-value extended property ids (reference §4): `{type} {guid} Name {name}`,
 * `{type} {guid} Id 0xNNNN`, `{type} 0xNNNN`. Exchange parses them into a property definition,
 * so type names and the GUID compare ignoring case; the emulator compares a canonical form
 * (type as documented, GUID lower case, `Name`/`Id` keyword as documented). Names keep their case.
 */

const TYPES = ['String', 'Integer', 'Boolean', 'SystemTime', 'Binary', 'Guid', 'Long', 'Double', 'Short', 'Float', 'Currency', 'ApplicationTime', 'CLSID'];
const TYPE_BY_LOWER = new Map(TYPES.map((t) => [t.toLowerCase(), t]));

const NAMED = /^(\w+)\s+\{([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}\s+Name\s+(.+)$/i;
const NUMBERED = /^(\w+)\s+\{([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}\s+Id\s+0x([0-9a-fA-F]{1,8})$/i;
const TAGGED = /^(\w+)\s+0x([0-9a-fA-F]{1,4})$/i;

/** Canonical form of an extended property id, or null when it is not one. */
export function canonicalPropertyId(id: string): string | null {
  const text = id.trim();
  let m = NAMED.exec(text);
  if (m) {
    const type = TYPE_BY_LOWER.get(m[1].toLowerCase());
    return type ? `${type} {${m[2].toLowerCase()}} Name ${m[3]}` : null;
  }
  m = NUMBERED.exec(text);
  if (m) {
    const type = TYPE_BY_LOWER.get(m[1].toLowerCase());
    return type ? `${type} {${m[2].toLowerCase()}} Id 0x${m[3].toLowerCase()}` : null;
  }
  m = TAGGED.exec(text);
  if (m) {
    const type = TYPE_BY_LOWER.get(m[1].toLowerCase());
    return type ? `${type} 0x${m[2].toLowerCase()}` : null;
  }
  return null;
}

/** Key under which a property is stored and compared. */
export function propertyKey(canonicalId: string): string {
  const m = NAMED.exec(canonicalId);
  // Named properties keep the name's case; everything else is case-insensitive.
  return m ? `${m[1].toLowerCase()} {${m[2]}} name ${m[3]}` : canonicalId.toLowerCase();
}
