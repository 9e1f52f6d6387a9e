import https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Certificate and key (PEM) an emulator serves HTTPS with; see `tls/local-ca.ts`. */
export interface EmulatorTls {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface HttpsListener {
  /** `https://localhost:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/**
 * Starts `handler` on 127.0.0.1 (port 0 = random). The URL names `localhost` because the
 * certificate and the clients' host lists (`knownAuthorities`, `customHosts`) use that name.
 * A handler that throws answers 500 rather than killing the process: a demo must survive.
 */
export async function startHttpsListener(tls: EmulatorTls, port: number, handler: RequestHandler): Promise<HttpsListener> {
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }));
      });
  });
  server.keepAliveTimeout = 30_000;
  // A client that drops a TLS handshake must not surface as an unhandled 'error'.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Reads a request body up to `limitBytes`; null when it is larger (caller answers 413). */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
