import { randomUUID } from 'node:crypto';
import { graphError, ok } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import type { Mailbox, StoredCategory } from './graph-store.ts';
import type { RouteContext } from './calendar-routes.ts';

/**
 * `/users/{u}/outlook/masterCategories` (Graph docs: outlookCategory; reference §2 `categories`):
 * list, add, read, recolour and delete a mailbox's named, coloured categories. Names compare
 * case-insensitively; a name cannot change after it is created. A mailbox whose app lacks
 * MailboxSettings.ReadWrite (`mailboxSettingsAccess: 'denied'`) answers 403 here only.
 */

const COLORS = ['none', ...Array.from({ length: 25 }, (_, i) => `preset${i}`)];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Dispatches `rest` = the path after `masterCategories` (empty, or one id). */
export function routeMasterCategories(ctx: RouteContext, req: GraphRequest, method: string, rest: readonly string[]): GraphResult {
  if (ctx.mailbox.mailboxSettingsAccess === 'denied') return graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  const notAllowed = () => graphError(405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.');
  if (rest.length === 0) {
    if (method === 'GET') return listCategories(ctx);
    if (method === 'POST') return createCategory(ctx, req);
    return notAllowed();
  }
  if (rest.length > 1) return graphError(400, 'BadRequest', `Resource not found for the segment '${rest[1]}'.`);
  if (!GUID.test(rest[0])) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  const category = ctx.mailbox.masterCategories.get(rest[0].toLowerCase());
  if (!category) return graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (method === 'GET') return ok(200, { '@odata.context': contextOf(ctx, true), ...category });
  if (method === 'PATCH') return updateCategory(ctx, req, category);
  if (method === 'DELETE') {
    ctx.mailbox.masterCategories.delete(category.id);
    return ok(204, null);
  }
  return notAllowed();
}

function listCategories(ctx: RouteContext): GraphResult {
  return ok(200, { '@odata.context': contextOf(ctx, false), value: [...ctx.mailbox.masterCategories.values()].map((c) => ({ ...c })) });
}

/** POST → 201; a name already on the list (any case) → 409. */
function createCategory(ctx: RouteContext, req: GraphRequest): GraphResult {
  const body = readBody(req.body);
  if ('error' in body) return body.error;
  const displayName = body.displayName?.trim();
  if (!displayName) return graphError(400, 'ErrorInvalidParameter', 'The displayName of a category must not be empty.');
  if (findByName(ctx.mailbox, displayName)) {
    return graphError(409, 'ErrorDuplicateCategory', `A category with the display name '${displayName}' already exists.`);
  }
  const category: StoredCategory = { id: randomUUID(), displayName, color: body.color ?? 'none' };
  ctx.mailbox.masterCategories.set(category.id, category);
  return ok(201, { '@odata.context': contextOf(ctx, true), ...category }, {
    location: `${ctx.baseUrl}/v1.0/users/${encodeURIComponent(ctx.mailbox.upn)}/outlook/masterCategories/${category.id}`,
  });
}

/** PATCH `{color}` → 200; the name is fixed once created (the same name in another case is accepted and ignored). */
function updateCategory(ctx: RouteContext, req: GraphRequest, category: StoredCategory): GraphResult {
  const body = readBody(req.body);
  if ('error' in body) return body.error;
  if (body.displayName !== undefined && body.displayName.trim().toLowerCase() !== category.displayName.toLowerCase()) {
    return graphError(400, 'ErrorInvalidRequest', 'The displayName of a category cannot be changed after it is created.');
  }
  const updated: StoredCategory = { ...category, color: body.color ?? category.color };
  ctx.mailbox.masterCategories.set(category.id, updated);
  return ok(200, { '@odata.context': contextOf(ctx, true), ...updated });
}

/** Checks an outlookCategory body: `displayName` (string) and `color` (categoryColor, any case) only. */
function readBody(raw: unknown): { readonly displayName?: string; readonly color?: string } | { readonly error: GraphResult } {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { error: graphError(400, 'RequestBodyRead', 'The request body must be a JSON object.') };
  const out: { displayName?: string; color?: string } = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name.startsWith('@odata.') || name === 'id') continue;
    if (name === 'displayName') {
      if (typeof value !== 'string') return { error: mismatch(value, 'Edm.String') };
      out.displayName = value;
    } else if (name === 'color') {
      if (typeof value !== 'string') return { error: mismatch(value, 'graph.categoryColor') };
      const color = COLORS.find((c) => c.toLowerCase() === value.toLowerCase());
      if (!color) return { error: graphError(400, 'RequestBodyRead', `Requested value '${value}' was not found.`) };
      out.color = color;
    } else {
      return {
        error: graphError(
          400,
          'RequestBodyRead',
          `The property '${name}' does not exist on type 'microsoft.graph.outlookCategory'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
        ),
      };
    }
  }
  return out;
}

function mismatch(value: unknown, expected: string): GraphResult {
  return graphError(400, 'RequestBodyRead', `Cannot convert the literal ${JSON.stringify(value)} to the expected type '${expected}'.`);
}

function findByName(mailbox: Mailbox, name: string): StoredCategory | null {
  const lower = name.toLowerCase();
  for (const category of mailbox.masterCategories.values()) if (category.displayName.toLowerCase() === lower) return category;
  return null;
}

function contextOf(ctx: RouteContext, entity: boolean): string {
  return `${ctx.baseUrl}/v1.0/$metadata#users('${ctx.mailbox.upn}')/outlook/masterCategories${entity ? '/$entity' : ''}`;
}
