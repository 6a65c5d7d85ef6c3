/**
 * POST /cycles/{year}/offices/{officeId}/uploads → a presigned POST for one upload: key chosen by the
 * server under incoming/{year}/{officeId}/, size limited by the policy, expiry ≤ 15 minutes.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import type { CycleDeps } from '../../shared/cycle/deps';
import { authenticate, parseOfficeId, parseYear, requestUpload } from '../../shared/cycle/service';
import { bodyJson, errorResult, header, json, NOT_VIA_SITE, segments, viaCloudFront } from '../http';

export async function issueUpload(deps: CycleDeps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const seg = segments(event);
  const method = (event.requestContext?.http?.method ?? 'POST').toUpperCase();
  if (seg.length !== 5 || seg[0] !== 'cycles' || seg[2] !== 'offices' || seg[4] !== 'uploads') return json(404, { error: '没有这个接口' });
  if (method !== 'POST') return json(405, { error: '不支持的请求方法' });
  const year = parseYear(seg[1]);
  const officeId = parseOfficeId(seg[3]);
  const principal = await authenticate(deps, header(event, 'authorization'));
  return json(201, await requestUpload(deps, principal, year, officeId, bodyJson(event)));
}

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (!viaCloudFront(event)) return NOT_VIA_SITE;
  try {
    return await issueUpload(depsFromEnv(), event);
  } catch (e) {
    return errorResult(e, (m, d) => logger.error(m, d));
  }
}
