/**
 * A real DynamoDB Local for one test file (started in beforeAll on a free port, stopped in afterAll) and a
 * fresh table per use, behind the project's own DynamoRepository.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTable, localCredentials, startDynamo, type DynamoLocal } from '../local/dynamo';
import { freePort } from '../local/ports';
import { DynamoRepository } from '../shared/aws/dynamo-repository';

export function useDynamoLocal(): { freshRepo(prefix?: string): Promise<DynamoRepository>; client(): DynamoDBClient } {
  let dynamo: DynamoLocal;
  let client: DynamoDBClient;
  let n = 0;
  beforeAll(async () => {
    dynamo = await startDynamo(await freePort());
    client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1', credentials: localCredentials() });
  }, 120_000);
  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
  });
  return {
    client: () => client,
    async freshRepo(prefix = 'table') {
      const name = `${prefix}-${++n}`;
      await createTable(dynamo.endpoint, name);
      return new DynamoRepository(client, name);
    },
  };
}
