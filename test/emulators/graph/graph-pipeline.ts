import { graphError } from './graph-result.ts';
import type { GraphRequest, GraphResult } from './graph-result.ts';
import type { GraphStore } from './graph-store.ts';
import type { MailboxThrottle } from './mailbox-throttle.ts';
import { defaultFaultCode, takeFault } from './fault-injection.ts';
import type { ArmedFault } from './fault-injection.ts';
import { routeMailboxRequest, unknownSegment } from './graph-router.ts';
import type { DeltaTokens } from './calendar-view-delta.ts';

/**
 * What happens to every Graph request after authentication, whether it came over HTTP or as a
 * `$batch` item: fault injection → mailbox lookup and access policy → permission → per app +
 * mailbox throttling → simulated latency → routing → request log.
 */

export type Claims = Readonly<Record<string, unknown>>;

export interface RequestLogEntry {
  readonly method: string;
  /** Decoded path after `/v1.0`, without the query. */
  readonly path: string;
  readonly status: number;
  /** Lower-case UPN of the mailbox addressed, or null (e.g. `$batch` itself). */
  readonly mailbox: string | null;
  readonly at: number;
  /** True for an item of a `$batch` (the batch itself is logged separately). */
  readonly viaBatch: boolean;
  /** Top-level property names of the JSON body as sent (to check what a client sends); absent without a body object. */
  readonly bodyKeys?: readonly string[];
}

export interface PipelineEnv {
  readonly store: GraphStore;
  readonly baseUrl: () => string;
  readonly throttle: MailboxThrottle;
  readonly faults: ArmedFault[];
  readonly tokens: DeltaTokens;
  readonly latencyMs: () => number;
  readonly log: RequestLogEntry[];
}

export interface PipelineOutcome {
  readonly result: GraphResult;
  /** `before`: destroy the socket without handling; `after`: handled, then destroy. */
  readonly drop: 'before' | 'after' | null;
}

const READ_ROLES = ['Calendars.Read', 'Calendars.ReadWrite'];
const WRITE_ROLES = ['Calendars.ReadWrite'];

/** Runs one authenticated request through the pipeline. */
export async function executeGraphRequest(env: PipelineEnv, req: GraphRequest, claims: Claims, viaBatch: boolean): Promise<PipelineOutcome> {
  const [root, user, ...rest] = req.segments;
  const rootLower = root?.toLowerCase();
  const isMe = rootLower === 'me';
  const userName = isMe ? delegatedUpn(claims) : rootLower === 'users' ? (user ?? null) : null;
  const mailbox = userName ? env.store.findMailbox(userName) : null;
  const mailboxKey = mailbox?.upn ?? userName?.toLowerCase() ?? null;
  const path = `/${req.segments.join('/')}`;
  const log = (result: GraphResult, drop: PipelineOutcome['drop'] = null): PipelineOutcome => {
    const bodyKeys = req.body !== null && typeof req.body === 'object' && !Array.isArray(req.body) ? Object.keys(req.body) : undefined;
    env.log.push({ method: req.method.toUpperCase(), path, status: result.status, mailbox: mailboxKey, at: Date.now(), viaBatch, ...(bodyKeys ? { bodyKeys } : {}) });
    return { result, drop };
  };

  const queryText = [...req.query].map(([k, v]) => `${k}=${v}`).join('&');
  const fault = takeFault(env.faults, { mailbox: mailboxKey, method: req.method, path: queryText ? `${path}?${queryText}` : path });
  if (fault?.kind === 'status') {
    const status = fault.status ?? 503;
    const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
    return log(graphError(status, fault.code ?? defaultFaultCode(status), fault.message ?? 'Injected fault.', headers));
  }
  if (fault?.kind === 'drop-connection') return log(graphError(599, 'ConnectionDropped', 'Injected fault: connection dropped.'), 'before');

  if (!userName) return log(isMe ? graphError(400, 'BadRequest', '/me request is only valid with delegated authentication flow.') : unknownSegment(root ?? ''));
  if (!mailbox) return log(graphError(404, 'ErrorInvalidUser', `The requested user '${userName}' is invalid.`));
  if (mailbox.access === 'forbidden') return log(graphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.'));
  if (mailbox.access === 'no-mailbox') return log(graphError(404, 'MailboxNotEnabledForRESTAPI', 'REST API is not yet supported for this mailbox.'));
  const denied = checkPermission(claims, req.method, mailbox.upn);
  if (denied) return log(denied);

  const appId = String(claims.appid ?? claims.azp ?? '');
  const admission = env.throttle.admit(`${appId}|${mailbox.upn}`, Date.now());
  if (!admission.ok) {
    return log(graphError(429, 'ApplicationThrottled', admission.message, { 'retry-after': String(admission.retryAfterSeconds) }));
  }
  try {
    const wait = env.latencyMs() + (fault?.kind === 'delay' ? (fault.delayMs ?? 0) : 0);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    let result: GraphResult;
    try {
      result = routeMailboxRequest({ mailbox, baseUrl: env.baseUrl(), now: Date.now() }, req, isMe ? [user, ...rest].filter((s) => s !== undefined) : rest, env.tokens);
    } catch (error) {
      result = graphError(500, 'InternalServerError', `The emulator failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    return log(result, fault?.kind === 'drop-response-after-store' ? 'after' : null);
  } finally {
    admission.release();
  }
}

/** App tokens need `roles`, delegated ones `scp`, with Calendars.ReadWrite (or .Read for GET). */
function checkPermission(claims: Claims, method: string, mailboxUpn: string): GraphResult | null {
  const roles = Array.isArray(claims.roles) ? (claims.roles as unknown[]).map(String) : [];
  const scopes = typeof claims.scp === 'string' ? claims.scp.split(' ') : [];
  const needed = method.toUpperCase() === 'GET' ? READ_ROLES : WRITE_ROLES;
  const denied = graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
  if (scopes.length > 0) {
    if (!scopes.some((s) => needed.includes(s))) return denied;
    return delegatedUpn(claims)?.toLowerCase() === mailboxUpn ? null : denied;
  }
  return roles.some((r) => needed.includes(r)) ? null : denied;
}

function delegatedUpn(claims: Claims): string | null {
  const upn = claims.preferred_username ?? claims.upn;
  return typeof upn === 'string' && typeof claims.scp === 'string' ? upn : null;
}
