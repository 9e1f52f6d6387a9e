import { X509Certificate, createHash } from 'node:crypto';
import { generate } from 'selfsigned';

/** A self-signed app certificate, as an admin would upload to an Entra app registration. */
export interface ClientCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** SHA-256 thumbprint, hex upper case (msal-node `clientCertificate.thumbprintSha256`). */
  readonly thumbprintSha256: string;
  /** SHA-1 thumbprint, hex upper case (legacy `thumbprint`). */
  readonly thumbprintSha1: string;
}

/** Creates an RSA-2048 self-signed certificate for client-assertion sign-in tests. */
export async function createClientCertificate(commonName = 'optima-outlook-sync'): Promise<ClientCertificate> {
  const pems = await generate([{ name: 'commonName', value: commonName }], { keySize: 2048, algorithm: 'sha256' });
  const der = new X509Certificate(pems.cert).raw;
  return {
    certPem: pems.cert,
    keyPem: pems.private,
    thumbprintSha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
    thumbprintSha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
  };
}
