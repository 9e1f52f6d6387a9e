import type { EntraClient } from './authenticate-client.ts';
import type { EntraError, EntraErrorExtras } from './entra-errors.ts';

/** One authenticated token request, as a grant handler sees it. */
export interface TokenContext {
  readonly form: URLSearchParams;
  readonly client: EntraClient;
  readonly authMethod: 'secret' | 'certificate';
  readonly fail: (status: number, error: string, aadsts: number, message: string, extras?: EntraErrorExtras) => EntraError;
}

export type GrantResult = { readonly ok: true; readonly body: Record<string, unknown> } | { readonly ok: false; readonly error: EntraError };
export type GrantHandler = (ctx: TokenContext) => GrantResult;
