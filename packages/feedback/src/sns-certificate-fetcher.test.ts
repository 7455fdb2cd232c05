import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSnsCertificateFetcher } from './sns-certificate-fetcher';

// A real HTTP server on loopback stands in for sns.<region>.amazonaws.com: the
// fetcher does not vet URLs (verifySnsMessage does), it fetches and caches.
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const hits = new Map<string, number>();
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path.startsWith('/ok')) res.writeHead(200, { 'content-type': 'application/x-x509-ca-cert' }).end(PEM);
    else if (path === '/redirect') res.writeHead(302, { location: '/ok-elsewhere.pem' }).end();
    else if (path === '/html') res.writeHead(200).end('<html>maintenance</html>');
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createSnsCertificateFetcher', () => {
  it('fetches a certificate once and serves it from memory afterwards', async () => {
    const fetchCertificate = createSnsCertificateFetcher();
    expect(await fetchCertificate(`${base}/ok-1.pem`)).toBe(PEM);
    expect(await fetchCertificate(`${base}/ok-1.pem`)).toBe(PEM);
    expect(hits.get('/ok-1.pem')).toBe(1);
  });

  it('refuses redirects, error statuses and bodies that are not PEM, and does not cache failures', async () => {
    const fetchCertificate = createSnsCertificateFetcher();
    await expect(fetchCertificate(`${base}/redirect`)).rejects.toThrow();
    expect(hits.get('/ok-elsewhere.pem')).toBeUndefined();
    await expect(fetchCertificate(`${base}/down.pem`)).rejects.toThrow('HTTP 503');
    await expect(fetchCertificate(`${base}/down.pem`)).rejects.toThrow('HTTP 503');
    expect(hits.get('/down.pem')).toBe(2);
    await expect(fetchCertificate(`${base}/html`)).rejects.toThrow('not a PEM');
  });

  it('keeps at most maxEntries certificates', async () => {
    const fetchCertificate = createSnsCertificateFetcher({ maxEntries: 1 });
    await fetchCertificate(`${base}/ok-a.pem`);
    await fetchCertificate(`${base}/ok-b.pem`);
    await fetchCertificate(`${base}/ok-a.pem`);
    expect(hits.get('/ok-a.pem')).toBe(2);
  });
});
