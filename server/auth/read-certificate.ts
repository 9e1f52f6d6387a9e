import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CertificateConfig } from '../config/schema.ts';

/** The application certificate as msal-node needs it, plus what `auth status` shows about it. */
export interface ApplicationCertificate {
  /** Unencrypted PKCS#8 PEM, in memory only. */
  readonly privateKeyPem: string;
  readonly thumbprintSha256: string;
  /** End of validity (X509 `validTo`); null when the PEM holds only the key. */
  readonly validTo: Date | null;
  readonly subject: string | null;
}

/**
 * Reads `microsoft.certificate`: decrypts the private key in memory (msal-node signs with an
 * unencrypted PKCS#8 key), takes the thumbprint from the config or the certificate in the PEM,
 * and its expiry. Throws an Error whose message names the fix (never the passphrase or key).
 */
export function readApplicationCertificate(cert: CertificateConfig): ApplicationCertificate {
  const file = cert.path;
  let pem: string;
  let privateKeyPem: string;
  try {
    pem = readFileSync(file, 'utf8');
    privateKeyPem = createPrivateKey(cert.passphrase ? { key: pem, passphrase: cert.passphrase } : pem).export({ type: 'pkcs8', format: 'pem' }).toString();
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(missing
      ? `Nie ma pliku certyfikatu ${file} (microsoft.certificate.path) — sprawdź ścieżkę.`
      : `Nie można odczytać klucza prywatnego z ${file} (microsoft.certificate.path): plik PEM musi zawierać klucz prywatny; jeśli jest zaszyfrowany, podaj microsoft.certificate.passphrase.`);
  }
  const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem);
  const x509 = block ? new X509Certificate(block[0]) : null;
  const thumbprintSha256 = cert.thumbprintSha256 ?? (x509 ? createHash('sha256').update(x509.raw).digest('hex') : null);
  if (!thumbprintSha256) {
    throw new Error(`Plik certyfikatu ${file} (microsoft.certificate.path) nie zawiera bloku CERTIFICATE — dołącz certyfikat do pliku PEM albo podaj microsoft.certificate.thumbprintSha256.`);
  }
  return { privateKeyPem, thumbprintSha256, validTo: x509 ? new Date(x509.validTo) : null, subject: x509?.subject ?? null };
}
