/** ArchiveTrigger as an asynchronous (Event) invocation of the archive function: retried by Lambda. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ArchiveTrigger } from '../cycle/ports';

export class LambdaArchiveTrigger implements ArchiveTrigger {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async requestArchive(ref: { year: number; officeId: string; submissionId: string }) {
    await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(ref)) }),
    );
  }

  async requestAggregate(ref: { year: number; includeAccepted?: boolean; name?: string; umbrella?: string[] }) {
    await this.client.send(
      new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify({ aggregate: ref })) }),
    );
  }
}
