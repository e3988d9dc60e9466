/**
 * A private certificate authority for tests, made with the `openssl` CLI (node:crypto cannot issue
 * certificates): a CA, a server certificate it signs for 127.0.0.1 / localhost, and a TLS-terminating
 * proxy that puts a plain TCP server (s3rver, …) behind HTTPS with that certificate.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:tls';

export interface TestCa {
  dir: string;
  /** the CA certificate (PEM): what a client's caFile names */
  caFile: string;
  /** a server certificate signed by the CA for IP 127.0.0.1 and DNS localhost, and its key */
  certFile: string;
  keyFile: string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A fresh CA (EC P-256, one day) and a server certificate it signs. */
export function makeTestCa(name = 'snapgate test CA'): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'snapgate-ca-'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-sha256',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-out',
      'ca.pem',
    ],
    dir,
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key'], dir);
  openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=127.0.0.1', '-out', 'server.csr'], dir);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '1',
      '-sha256',
      '-extfile',
      'server.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    certFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server.key'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface TlsProxy {
  /** `https://127.0.0.1:<port>` */
  endpoint: string;
  close(): Promise<void>;
}

/** HTTPS in front of a plain TCP server on 127.0.0.1:`upstreamPort`, with the CA's server certificate. */
export async function startTlsProxy(upstreamPort: number, ca: TestCa): Promise<TlsProxy> {
  const server: Server = createServer(
    { key: readFileSync(ca.keyFile), cert: readFileSync(ca.certFile) },
    (client) => {
      const upstream = connect(upstreamPort, '127.0.0.1');
      client.pipe(upstream).pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end);
      upstream.on('error', end);
    },
  );
  // a client that refuses our certificate ends the handshake: not the proxy's problem
  server.on('tlsClientError', () => undefined);
  const open = new Set<Socket>();
  server.on('connection', (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy();
      }),
  };
}
