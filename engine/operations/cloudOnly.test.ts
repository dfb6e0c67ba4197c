import { CreateGlobalTableCommand, EnableKinesisStreamingDestinationCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

describe('cloud-only operations', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  test('are answered in the service error shape, saying the local engine does not provide them', async () => {
    const global = await errorOf(() => h.client.send(new CreateGlobalTableCommand({ GlobalTableName: 'Orders', ReplicationGroup: [{ RegionName: 'eu-west-1' }] })));
    assert.equal(global.name, 'UnknownOperationException');
    assert.match(global.message, /^CreateGlobalTable replicates tables across AWS Regions, which only DynamoDB in the cloud does: the local engine \(Dynamo Lens\) does not provide it\./);
    const kinesis = await errorOf(() => h.client.send(new EnableKinesisStreamingDestinationCommand({ TableName: 'Orders', StreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s' })));
    assert.equal(kinesis.name, 'UnknownOperationException');
    assert.match(kinesis.message, /Amazon Kinesis/);
  });
});
