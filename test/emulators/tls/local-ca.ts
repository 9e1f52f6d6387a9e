import tls from 'node:tls';
import { generate } from 'selfsigned';

/** A throw-away certificate authority and a server certificate it signed for this machine. */
export interface LocalCa {
  /** The CA certificate (PEM): what clients must trust. */
  readonly caPem: string;
  /** Leaf certificate for `localhost`, `127.0.0.1` and `::1` (PEM), signed by the CA. */
  readonly certPem: string;
  /** Private key of the leaf certificate (PKCS#8 PEM). */
  readonly keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a local CA and a `localhost` server certificate signed by it (RSA 2048, SHA-256).
 * Both emulators serve HTTPS because msal-node refuses `http:` authorities and the Graph client
 * attaches tokens only to `https:` hosts. Takes about 0.1 s; selfsigned v5 is async-only.
 */
export async function createLocalCa(): Promise<LocalCa> {
  // Backdated by a day so a client whose clock runs a little behind still accepts the chain.
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + 30 * DAY_MS);
  const ca = await generate([{ name: 'commonName', value: 'optima-outlook-sync emulator CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const leaf = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: leaf.cert, keyPem: leaf.private };
}

/**
 * Adds `caPem` to the default CA list of this process (Node ≥ 24.5), so global `fetch` (used by
 * @microsoft/microsoft-graph-client and by @azure/msal-node 7) and `https.request` trust the
 * emulators without `NODE_EXTRA_CA_CERTS`. Affects connections opened afterwards. A child process
 * (e.g. the server started by an end-to-end test) needs `NODE_EXTRA_CA_CERTS=<file with caPem>`.
 */
export function trustLocalCa(caPem: string): void {
  const current = tls.getCACertificates('default');
  if (current.includes(caPem)) return;
  tls.setDefaultCACertificates([...current, caPem]);
}
