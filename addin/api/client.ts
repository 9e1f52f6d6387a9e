/**
 * Typed client for the server's add-in API (`/api/addin/*`, shared/addin-api.ts). Every call
 * carries the SSO token; a refused token is renewed once. Failures are thrown as `ApiError`
 * values carrying the server's stable code and its Polish and English messages.
 */
import type {
  AddinError,
  AddinErrorCode,
  ConsentResponse,
  MeResponse,
  PreviewResponse,
  RecordResponse,
  ResyncResponse,
  SaveTemplatesResponse,
  TemplateTexts,
  TemplatesResponse,
} from '../../shared/addin-api.ts';
import type { TokenProvider } from '../office/create-token-provider.ts';

/** A failed API call. `code` is `network` when the server could not be reached. */
export interface ApiError {
  readonly kind: 'api';
  readonly status: number;
  readonly code: AddinErrorCode | 'network';
  readonly message: string | null;
  readonly messageEn: string | null;
  readonly claims: string | null;
}

/** How the taskpane names the open event to the server. */
export type RecordQuery =
  | { readonly sourceKey: string }
  | { readonly eventId: string; readonly idType: 'ews' | 'rest' };

export interface AddinApi {
  getMe(): Promise<MeResponse>;
  getRecord(query: RecordQuery): Promise<RecordResponse>;
  resync(sourceKey: string): Promise<ResyncResponse>;
  getTemplates(): Promise<TemplatesResponse>;
  previewTemplate(kind: string, texts: TemplateTexts, sourceKey: string): Promise<PreviewResponse>;
  saveTemplate(kind: string, texts: TemplateTexts): Promise<SaveTemplatesResponse>;
  revertTemplate(kind: string, version: number): Promise<SaveTemplatesResponse>;
  /** Hands a freshly obtained SSO token to the server for on-behalf-of consent. */
  giveConsent(): Promise<ConsentResponse>;
}

/** Creates the client; `baseUrl` is the server origin ('' for the page's own). */
export function createApiClient(tokens: TokenProvider, baseUrl = ''): AddinApi {
  async function call<T>(method: string, path: string, body?: unknown, fresh = false): Promise<T> {
    const token = await tokens.getToken({ fresh });
    let response: Response;
    try {
      response = await fetch(`${baseUrl}/api/addin${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw apiError(0, 'network', null);
    }
    // A token that expired between issue and use: renew it once, then give up.
    if (response.status === 401 && !fresh) return call<T>(method, path, body, true);
    if (!response.ok) throw apiError(response.status, null, await readErrorBody(response));
    return (await response.json()) as T;
  }

  return {
    getMe: () => call('GET', '/me'),
    getRecord: (query) => call('GET', `/records?${new URLSearchParams(query as Record<string, string>).toString()}`),
    resync: (sourceKey) => call('POST', '/records/resync', { sourceKey }),
    getTemplates: () => call('GET', '/templates'),
    previewTemplate: (kind, texts, sourceKey) => call('POST', '/templates/preview', { kind, texts, sourceKey }),
    saveTemplate: (kind, texts) => call('PUT', `/templates/${encodeURIComponent(kind)}`, texts),
    revertTemplate: (kind, version) => call('POST', `/templates/${encodeURIComponent(kind)}/revert`, { version }),
    giveConsent: () => call('POST', '/consent', {}, true),
  };
}

async function readErrorBody(response: Response): Promise<AddinError | null> {
  try {
    const body = (await response.json()) as Partial<AddinError>;
    return body && typeof body.error?.code === 'string' ? (body as AddinError) : null;
  } catch {
    return null;
  }
}

function apiError(status: number, code: ApiError['code'] | null, body: AddinError | null): ApiError {
  return {
    kind: 'api',
    status,
    code: body?.error.code ?? code ?? (status === 401 ? 'unauthenticated' : status === 403 ? 'forbidden' : status === 404 ? 'not_found' : 'internal'),
    message: body?.error.message ?? null,
    messageEn: body?.error.messageEn ?? null,
    claims: body?.error.claims ?? null,
  };
}

/** Whether a thrown value is an `ApiError`. */
export function isApiError(value: unknown): value is ApiError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'api';
}
