import {
  CreateTableCommand,
  DeleteResourcePolicyCommand,
  GetResourcePolicyCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const policy = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: action, Resource: '*' }] });

describe('resource-based policies through the AWS SDK (stored, not enforced)', () => {
  let h: Harness;
  let tableArn: string;
  let streamArn: string;
  before(async () => {
    h = await startHarness();
    const { TableDescription } = await h.client.send(
      new CreateTableCommand({
        TableName: 'Guarded',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
      }),
    );
    tableArn = TableDescription!.TableArn!;
    streamArn = TableDescription!.LatestStreamArn!;
  });
  after(() => h.close());

  test('put, get, put the same again (same revision), replace, delete', async () => {
    const first = await h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy('dynamodb:GetItem') }));
    assert.match(first.RevisionId ?? '', /^\d+$/);
    const again = await h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy('dynamodb:GetItem') }));
    assert.equal(again.RevisionId, first.RevisionId, 'the same document keeps its revision id');
    const read = await h.client.send(new GetResourcePolicyCommand({ ResourceArn: tableArn }));
    assert.deepEqual([read.Policy, read.RevisionId], [policy('dynamodb:GetItem'), first.RevisionId]);

    const stale = await errorOf(() => h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy('dynamodb:*'), ExpectedRevisionId: '1' })));
    assert.equal(stale.name, 'PolicyNotFoundException');
    const onlyIfNone = await errorOf(() => h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy('dynamodb:*'), ExpectedRevisionId: 'NO_POLICY' })));
    assert.equal(onlyIfNone.name, 'PolicyNotFoundException');
    const replaced = await h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: policy('dynamodb:*'), ExpectedRevisionId: first.RevisionId }));
    assert.ok(Number(replaced.RevisionId) > Number(first.RevisionId));

    const deleted = await h.client.send(new DeleteResourcePolicyCommand({ ResourceArn: tableArn, ExpectedRevisionId: replaced.RevisionId }));
    assert.equal(deleted.RevisionId, replaced.RevisionId);
    const gone = await errorOf(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: tableArn })));
    assert.equal(gone.name, 'PolicyNotFoundException');
    assert.equal(gone.message, `Resource-based policy not found for the provided ResourceArn: ${tableArn}`);
  });

  test("a stream's policy is its own; NO_POLICY attaches where there is none", async () => {
    await h.client.send(new PutResourcePolicyCommand({ ResourceArn: streamArn, Policy: policy('dynamodb:GetRecords'), ExpectedRevisionId: 'NO_POLICY' }));
    assert.equal((await h.client.send(new GetResourcePolicyCommand({ ResourceArn: streamArn }))).Policy, policy('dynamodb:GetRecords'));
    assert.equal((await errorOf(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: tableArn })))).name, 'PolicyNotFoundException');
  });

  test('a missing table, a malformed ARN and a document over 20 KB are refused', async () => {
    const missing = await errorOf(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: tableArn.replace('Guarded', 'Nowhere') })));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const malformed = await errorOf(() => h.client.send(new GetResourcePolicyCommand({ ResourceArn: 'arn:aws:s3:::bucket' })));
    assert.equal(malformed.name, 'ValidationException');
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [], padding: ' '.repeat(20 * 1024) });
    const tooBig = await errorOf(() => h.client.send(new PutResourcePolicyCommand({ ResourceArn: tableArn, Policy: big })));
    assert.equal(tooBig.name, 'ValidationException');
  });
});
