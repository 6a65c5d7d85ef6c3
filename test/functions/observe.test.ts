/**
 * The handlers' wrapper (shared/aws/observe.ts): the logger gets the Lambda context and the correlation id,
 * the metrics the invocation counted are flushed as CloudWatch EMF, a failure is counted and rethrown.
 * What a function's log would hold is read from stdout and stderr, where Lambda takes it.
 */
import type { Context } from 'aws-lambda';
import { count, logger, observed } from '../../shared/aws/observe';

const context = { functionName: 'nianbao-archive', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '512', invokedFunctionArn: 'arn:aws:lambda:cn-north-1:1:function:x' } as unknown as Context;

async function stdoutOf(run: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const capture = (chunk: string | Uint8Array) => (lines.push(String(chunk)), true);
  const spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  try {
    await run();
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
}

const emf = (lines: Record<string, unknown>[]) => lines.find((l) => '_aws' in l) as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

test('context and correlation id in every log line; what was counted is flushed under nianbao', async () => {
  const handler = observed(async (event: { id: string }) => {
    logger.info('working');
    count('ReceiptSent');
    count('ClaimBusy', 2);
    return event.id;
  }, (event) => event.id);
  const lines = await stdoutOf(() => handler({ id: 'corr-7' }, context));
  expect(lines.find((l) => l.message === 'working')).toMatchObject({ correlation_id: 'corr-7', function_request_id: 'req-1', function_name: 'nianbao-archive' });
  const metrics = emf(lines);
  expect(metrics._aws.CloudWatchMetrics[0].Namespace).toBe('nianbao');
  expect(metrics._aws.CloudWatchMetrics[0].Metrics.map((m) => m.Name).sort()).toEqual(['ClaimBusy', 'ReceiptSent']);
  expect(metrics).toMatchObject({ ReceiptSent: 1, ClaimBusy: 2, service: expect.any(String) });
  // The next invocation starts clean: no metrics, no correlation id of the last one.
  const next = await stdoutOf(() => observed(async () => logger.info('again'), () => null)(undefined, { ...context, awsRequestId: 'req-2' } as Context));
  expect(emf(next)).toBeUndefined();
  expect(next.find((l) => l.message === 'again')).toMatchObject({ correlation_id: 'req-2' });
});

test('a failure is logged, counted as Failed and rethrown (Lambda retries, then the dead-letter queue)', async () => {
  const handler = observed(async () => Promise.reject(new Error('S3 unavailable')), () => 'x');
  const lines = await stdoutOf(() => expect(handler({}, context)).rejects.toThrow('S3 unavailable'));
  expect(lines.find((l) => l.message === 'invocation failed')).toMatchObject({ level: 'ERROR', correlation_id: 'x' });
  expect(emf(lines)).toMatchObject({ Failed: 1 });
});
