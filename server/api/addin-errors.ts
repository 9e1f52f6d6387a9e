import type { Response } from 'express';
import type { AddinError, AddinErrorCode } from '../../shared/addin-api.ts';

/** HTTP status of each add-in error code. */
const STATUS: Readonly<Record<AddinErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  bad_request: 400,
  consent_required: 403,
  busy: 409,
  internal: 500,
};

/** A refusal or failure of an add-in route, as data; `sendAddinError` turns it into the reply. */
export interface AddinFailure {
  readonly code: AddinErrorCode;
  readonly message: string;
  readonly messageEn: string;
  readonly claims?: string;
}

/** Builds the JSON body of an add-in error (the token is never part of it). */
export function buildAddinError(failure: AddinFailure): AddinError {
  return {
    error: {
      code: failure.code, message: failure.message, messageEn: failure.messageEn,
      ...(failure.claims ? { claims: failure.claims } : {}),
    },
  };
}

/** Sends `failure` with its status; a 401 also names the scheme, as RFC 6750 asks. */
export function sendAddinError(res: Response, failure: AddinFailure): void {
  const status = STATUS[failure.code];
  if (status === 401) res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
  res.status(status).json(buildAddinError(failure));
}
