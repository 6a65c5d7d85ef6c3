/**
 * The API is reached only through CloudFront (issue 13.6): with ORIGIN_VERIFY configured (as the stack
 * does), a request without CloudFront's header — a call to the execute-api URL — is refused before anything
 * else runs; with the header it is handled as usual.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ENV, ORIGIN_VERIFY_HEADER } from '../../shared/resources';

const event = (headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'GET /me',
    rawPath: '/me',
    rawQueryString: '',
    headers,
    requestContext: { http: { method: 'GET', path: '/me' } },
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

afterEach(() => {
  delete process.env[ENV.originVerify];
});

// The handlers load after the variable is set, as in a cold start.
/* eslint-disable @typescript-eslint/no-require-imports */
test.each([
  ['api', () => require('../../functions/api/handler').handler],
  ['issue-upload', () => require('../../functions/issue-upload/handler').handler],
  /* eslint-enable @typescript-eslint/no-require-imports */
])('%s: without CloudFront’s header 403; with it the request reaches the handler', async (_name, load) => {
  process.env[ENV.originVerify] = 'stack-unique-value';
  const handler = load();
  const direct = await handler(event({ authorization: 'Bearer x' }));
  expect(direct.statusCode).toBe(403);
  expect(JSON.parse(direct.body).error).toBe('请通过站点地址访问接口');
  const wrong = await handler(event({ authorization: 'Bearer x', [ORIGIN_VERIFY_HEADER]: 'guess' }));
  expect(wrong.statusCode).toBe(403);
  // Through CloudFront: past the check (no token → 401 or an unknown route, never the 403 above).
  const via = await handler(event({ [ORIGIN_VERIFY_HEADER]: 'stack-unique-value' }));
  expect(via.statusCode).not.toBe(403);
});
