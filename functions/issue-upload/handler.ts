/**
 * POST /cycles/{year}/offices/{officeId}/uploads → a presigned POST for one upload: key chosen by the
 * server under incoming/{year}/{officeId}/, size limited by the policy, expiry ≤ 15 minutes.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { depsFromEnv, logger } from '../../shared/aws/deps';
import { observed } from '../../shared/aws/observe';
import { requestUpload } from '../../shared/cycle/service';
import { dispatcher, type Handlers } from '../dispatch';
import { bodyJson, errorResult, json, NOT_VIA_SITE, requestId, viaCloudFront } from '../http';

const HANDLERS: Handlers<'issue-upload'> = {
  'POST /cycles/{year}/offices/{officeId}/uploads': async ({ deps, event, principal, params: { year, officeId } }) =>
    json(201, await requestUpload(deps, principal, year, officeId, bodyJson(event))),
};

export const issueUpload = dispatcher('issue-upload', HANDLERS);

export const handler = observed(async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  if (!viaCloudFront(event)) return NOT_VIA_SITE;
  try {
    return await issueUpload(depsFromEnv(), event);
  } catch (e) {
    return errorResult(e, (m, d) => logger.error(m, d));
  }
}, requestId);
