import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { matchRoute, readBody, toEvent, writeResult } from '../../local/gateway';
import { ROUTES } from '../../functions/routes';

describe('route matching (the stack’s routes)', () => {
  it('sends uploads to issue-upload and the rest to api, with path parameters', () => {
    expect(matchRoute(ROUTES, 'POST', '/cycles/2020/offices/jincheng/uploads')).toEqual({
      route: expect.objectContaining({ fn: 'issue-upload' }),
      pathParameters: { year: '2020', officeId: 'jincheng' },
    });
    expect(matchRoute(ROUTES, 'GET', '/cycles/2020/offices/jincheng')?.route.fn).toBe('api');
    expect(matchRoute(ROUTES, 'DELETE', '/cycles/2020/offices/jincheng')).toBeNull();
    expect(matchRoute(ROUTES, 'GET', '/cycles/2020/offices/%E0%A4%A')).toBeNull();
  });
});

/** One real HTTP request through a throwaway server, to get a real IncomingMessage. */
async function roundTrip(init: RequestInit & { path: string }, onRequest: (req: IncomingMessage, body: Buffer | null) => unknown) {
  let seen: unknown;
  const server = createServer(async (req, res) => {
    const body = await readBody(req, 64);
    seen = onRequest(req, body);
    writeResult(res, { statusCode: 201, headers: { 'X-Test': 'yes' }, cookies: ['a=1'], body: Buffer.from('二进制').toString('base64'), isBase64Encoded: true });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  try {
    const res = await fetch(`http://127.0.0.1:${port}${init.path}`, init);
    return { res, text: await res.text(), seen };
  } finally {
    server.close();
  }
}

describe('API Gateway payload 2.0 events', () => {
  it('carries method, path, query, headers, cookies, route key and a JSON body as text', async () => {
    const { res, text, seen } = await roundTrip(
      { path: '/cycles/2020/offices?a=1&a=2&b=%E4%B8%AD', method: 'POST', headers: { 'content-type': 'application/json', cookie: 'x=1; y=2', authorization: 'Bearer t' }, body: '{"k":"值"}' },
      (req, body) => {
        const url = new URL(req.url!, 'http://127.0.0.1');
        return toEvent(req, body!, matchRoute(ROUTES, 'POST', url.pathname), url);
      },
    );
    expect(seen).toMatchObject({
      version: '2.0',
      routeKey: 'POST /cycles/{year}/offices',
      rawPath: '/cycles/2020/offices',
      rawQueryString: 'a=1&a=2&b=%E4%B8%AD',
      queryStringParameters: { a: '1,2', b: '中' },
      pathParameters: { year: '2020' },
      cookies: ['x=1', 'y=2'],
      headers: expect.objectContaining({ authorization: 'Bearer t', 'content-type': 'application/json' }),
      requestContext: expect.objectContaining({ http: expect.objectContaining({ method: 'POST', path: '/cycles/2020/offices' }), stage: '$default' }),
      body: '{"k":"值"}',
      isBase64Encoded: false,
    });
    // …and the structured result back: status, headers, cookies, base64 body decoded, CORS.
    expect(res.status).toBe(201);
    expect(res.headers.get('x-test')).toBe('yes');
    expect(res.headers.get('set-cookie')).toBe('a=1');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(text).toBe('二进制');
  });

  it('base64-encodes a binary body, and refuses a body over the limit', async () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0xff]);
    const { seen } = await roundTrip({ path: '/validate', method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: bytes }, (req, body) =>
      toEvent(req, body!, null, new URL(req.url!, 'http://127.0.0.1')),
    );
    expect(seen).toMatchObject({ routeKey: '$default', isBase64Encoded: true, body: bytes.toString('base64') });
    const big = await roundTrip({ path: '/validate', method: 'POST', body: 'x'.repeat(65) }, (_req, body) => body);
    expect(big.seen).toBeNull();
  });
});
