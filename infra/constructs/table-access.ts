/**
 * Table grants without Scan (issue 13.6): every read is a GetItem or a Query (docs/architecture.md, "Data layout"), so no
 * function may Scan, and a function that only reads gets no write action. CDK's grantReadData /
 * grantReadWriteData include dynamodb:Scan; these do not.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';

export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];
/** Transactions (TransactWriteItems) are authorised through these per-item actions. */
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

function grant(table: dynamodb.ITable, grantee: iam.IGrantable, actions: string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ actions, resources: [table.tableArn, `${table.tableArn}/index/*`] }),
  );
}

export function grantTableRead(table: dynamodb.ITable, grantee: iam.IGrantable): void {
  grant(table, grantee, TABLE_READ_ACTIONS);
}

export function grantTableReadWrite(table: dynamodb.ITable, grantee: iam.IGrantable): void {
  grant(table, grantee, [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS]);
}
