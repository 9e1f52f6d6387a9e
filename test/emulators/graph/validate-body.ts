import graphTypes from './graph-event-types.json' with { type: 'json' };

/**
 * Checks a request body against Microsoft's own v1.0 type definitions (graph-event-types.json,
 * extracted from the Graph CSDL): unknown properties, wrong JSON kinds, bad enum members and
 * nulls in non-nullable properties are 400 `RequestBodyRead`, as in the real service.
 */

interface PropertyDef {
  readonly type: string;
  readonly nullable?: boolean;
}
interface TypeDef {
  readonly kind: 'entity' | 'complex' | 'enum';
  readonly baseType?: string;
  readonly properties?: Readonly<Record<string, PropertyDef>>;
  readonly navigationProperties?: Readonly<Record<string, PropertyDef>>;
  readonly members?: readonly string[];
}

const TYPES = graphTypes.types as unknown as Readonly<Record<string, TypeDef>>;

export type BodyCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/** Navigation properties a create/PATCH body may carry (the rest are not deep-insertable here). */
const WRITABLE_NAVIGATION = new Set(['singleValueExtendedProperties', 'multiValueExtendedProperties']);

/** Property definition of `name` on `typeName` or its base types, exact case as in Graph. */
export function findProperty(typeName: string, name: string): PropertyDef | null {
  for (let type: TypeDef | undefined = TYPES[typeName]; type; type = type.baseType ? TYPES[type.baseType] : undefined) {
    const def = type.properties?.[name];
    if (def) return def;
  }
  return null;
}

/** Whether `name` is a structural or navigation property of `typeName` (for $select/$filter). */
export function isKnownProperty(typeName: string, name: string): boolean {
  return findProperty(typeName, name) !== null || TYPES[typeName]?.navigationProperties?.[name] !== undefined;
}

/** Validates `body` as an instance of entity `typeName` (`event`, `calendar`). */
export function validateBody(typeName: string, body: unknown): BodyCheck {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, message: 'The request body must be a JSON object.' };
  }
  return checkObject(typeName, body as Record<string, unknown>, true);
}

function checkObject(typeName: string, value: Record<string, unknown>, topLevel: boolean): BodyCheck {
  for (const [name, item] of Object.entries(value)) {
    if (name.startsWith('@odata.')) continue;
    const def = findProperty(typeName, name);
    if (def) {
      const check = checkValue(def, item);
      if (!check.ok) return check;
      continue;
    }
    const navigation = TYPES[typeName]?.navigationProperties?.[name];
    if (topLevel && navigation && WRITABLE_NAVIGATION.has(name)) {
      const check = checkExtendedProperties(name, item);
      if (!check.ok) return check;
      continue;
    }
    return {
      ok: false,
      message: `The property '${name}' does not exist on type 'microsoft.graph.${typeName}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    };
  }
  return { ok: true };
}

function checkValue(def: PropertyDef, value: unknown): BodyCheck {
  if (value === null) {
    return def.nullable === false ? { ok: false, message: `A null value was found for the property of type '${def.type}'; the property is not nullable.` } : { ok: true };
  }
  const collection = /^Collection\((.+)\)$/.exec(def.type);
  if (collection) {
    if (!Array.isArray(value)) return kindMismatch(def.type, value);
    for (const item of value) {
      const check = checkValue({ type: collection[1], nullable: false }, item);
      if (!check.ok) return check;
    }
    return { ok: true };
  }
  switch (def.type) {
    case 'Edm.String':
      return typeof value === 'string' ? { ok: true } : kindMismatch(def.type, value);
    case 'Edm.Boolean':
      return typeof value === 'boolean' ? { ok: true } : kindMismatch(def.type, value);
    case 'Edm.Int32':
      return Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 ? { ok: true } : kindMismatch(def.type, value);
    case 'Edm.Double':
      return typeof value === 'number' ? { ok: true } : kindMismatch(def.type, value);
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? { ok: true } : kindMismatch(def.type, value);
    case 'Edm.Date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? { ok: true } : kindMismatch(def.type, value);
  }
  const typeName = def.type.replace(/^graph\./, '');
  const type = TYPES[typeName];
  if (!type) return { ok: true };
  if (type.kind === 'enum') {
    if (typeof value !== 'string') return kindMismatch(def.type, value);
    const member = type.members?.find((m) => m.toLowerCase() === value.toLowerCase());
    return member ? { ok: true } : { ok: false, message: `Requested value '${value}' was not found.` };
  }
  if (typeof value !== 'object' || Array.isArray(value)) return kindMismatch(def.type, value);
  return checkObject(typeName, value as Record<string, unknown>, false);
}

function checkExtendedProperties(name: string, value: unknown): BodyCheck {
  if (!Array.isArray(value)) return kindMismatch(`Collection(graph.${name})`, value);
  for (const item of value) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return kindMismatch('graph.singleValueLegacyExtendedProperty', item);
    for (const [key, field] of Object.entries(item as Record<string, unknown>)) {
      if (key.startsWith('@odata.')) continue;
      if (key !== 'id' && key !== 'value') {
        return { ok: false, message: `The property '${key}' does not exist on type 'microsoft.graph.singleValueLegacyExtendedProperty'.` };
      }
      const valid = name === 'multiValueExtendedProperties' && key === 'value'
        ? Array.isArray(field) && field.every((v) => typeof v === 'string')
        : typeof field === 'string';
      if (!valid) return kindMismatch(key === 'value' && name === 'multiValueExtendedProperties' ? 'Collection(Edm.String)' : 'Edm.String', field);
    }
  }
  return { ok: true };
}

function kindMismatch(expected: string, value: unknown): BodyCheck {
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return { ok: false, message: `Cannot convert the literal ${shown} to the expected type '${expected}'.` };
}
