/**
 * Contributor Insights through the AWS SDK: the per-table and per-GSI lifecycle, rule names and
 * listing as the service answers them, and the per-key counts the engine keeps while it is on.
 */
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DescribeContributorInsightsCommand,
  GetItemCommand,
  ListContributorInsightsCommand,
  PutItemCommand,
  QueryCommand,
  UpdateContributorInsightsCommand,
  type ContributorInsightsMode,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const here = { accountId: '000000000000', region: 'us-east-1' };

async function createOrders(h: Harness, throughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number }): Promise<void> {
  await h.client.send(
    new CreateTableCommand({
      TableName: 'Orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'customer', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byCustomer',
          KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ...(throughput ? { ProvisionedThroughput: throughput } : {}),
        },
      ],
      LocalSecondaryIndexes: [{ IndexName: 'byCustomerLocal', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'customer', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      ...(throughput ? { ProvisionedThroughput: throughput } : { BillingMode: 'PAY_PER_REQUEST' }),
    }),
  );
}

function update(h: Harness, action: 'ENABLE' | 'DISABLE', extra: { IndexName?: string; ContributorInsightsMode?: ContributorInsightsMode } = {}) {
  return h.client.send(new UpdateContributorInsightsCommand({ TableName: 'Orders', ContributorInsightsAction: action, ...extra }));
}

async function describeInsights(h: Harness, IndexName?: string) {
  const { $metadata: _, ...out } = await h.client.send(new DescribeContributorInsightsCommand({ TableName: 'Orders', IndexName }));
  return out;
}

async function list(h: Harness, input: { TableName?: string; MaxResults?: number; NextToken?: string } = {}) {
  const { $metadata: _, ...out } = await h.client.send(new ListContributorInsightsCommand(input));
  return out;
}

describe('Contributor Insights', () => {
  test('per table and per GSI: ENABLING then ENABLED, the service rule names, no-ops, mode changes, DISABLE and the list', async () => {
    const h = await startHarness();
    try {
      await createOrders(h);
      assert.deepEqual(await describeInsights(h), { TableName: 'Orders', ContributorInsightsStatus: 'DISABLED' });
      assert.deepEqual(await list(h, { TableName: 'Orders' }), { ContributorInsightsSummaries: [] });
      const neverOn = await update(h, 'DISABLE');
      assert.equal(neverOn.ContributorInsightsStatus, 'DISABLED');

      const enabled = await update(h, 'ENABLE');
      assert.deepEqual([enabled.TableName, enabled.ContributorInsightsStatus, enabled.ContributorInsightsMode], ['Orders', 'ENABLING', 'ACCESSED_AND_THROTTLED_KEYS']);
      const described = await describeInsights(h);
      assert.equal(described.ContributorInsightsStatus, 'ENABLED');
      assert.equal(described.ContributorInsightsMode, 'ACCESSED_AND_THROTTLED_KEYS');
      assert.ok(described.LastUpdateDateTime instanceof Date);
      const stamp = /-(\d{13})$/.exec(described.ContributorInsightsRuleList![0])![1];
      assert.deepEqual(
        described.ContributorInsightsRuleList,
        ['PKC', 'SKC', 'PKT', 'SKT'].map((kind) => `DynamoDBContributorInsights-${kind}-Orders-${stamp}`),
      );
      assert.equal((await update(h, 'ENABLE')).ContributorInsightsStatus, 'ENABLED', 'enabling what is on is a no-op');
      assert.equal((await update(h, 'ENABLE', { ContributorInsightsMode: 'THROTTLED_KEYS' })).ContributorInsightsStatus, 'ENABLING');
      assert.deepEqual((await describeInsights(h)).ContributorInsightsRuleList, [`DynamoDBContributorInsights-PKT-Orders-${stamp}`, `DynamoDBContributorInsights-SKT-Orders-${stamp}`]);

      const gsi = await update(h, 'ENABLE', { IndexName: 'byCustomer' });
      assert.deepEqual([gsi.IndexName, gsi.ContributorInsightsStatus], ['byCustomer', 'ENABLING']);
      const gsiRules = (await describeInsights(h, 'byCustomer')).ContributorInsightsRuleList!;
      assert.deepEqual(
        gsiRules.map((rule) => rule.replace(/\d{13}$/, 'T')),
        ['DynamoDBContributorInsights-PKC-Orders-byCustomer-T', 'DynamoDBContributorInsights-PKT-Orders-byCustomer-T'],
        'the GSI has no sort key: two rules',
      );

      assert.deepEqual(await list(h), {
        ContributorInsightsSummaries: [
          { TableName: 'Orders', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'THROTTLED_KEYS' },
          { TableName: 'Orders', IndexName: 'byCustomer', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
        ],
      });
      const first = await list(h, { TableName: 'Orders', MaxResults: 1 });
      assert.equal(first.ContributorInsightsSummaries?.length, 1);
      assert.ok(first.NextToken);
      const second = await list(h, { TableName: 'Orders', MaxResults: 1, NextToken: first.NextToken });
      assert.equal(second.ContributorInsightsSummaries?.[0]?.IndexName, 'byCustomer');
      assert.equal(second.NextToken, undefined);

      const disabled = await update(h, 'DISABLE', { ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
      assert.deepEqual([disabled.ContributorInsightsStatus, disabled.ContributorInsightsMode], ['DISABLING', 'THROTTLED_KEYS'], 'a disable echoes the mode in place');
      const off = await describeInsights(h);
      assert.equal(off.ContributorInsightsStatus, 'DISABLED');
      assert.equal(off.ContributorInsightsRuleList, undefined);
      assert.equal(off.ContributorInsightsMode, 'THROTTLED_KEYS');
      assert.deepEqual(
        (await list(h, { TableName: 'Orders' })).ContributorInsightsSummaries?.map((s) => s.IndexName),
        ['byCustomer'],
        'DISABLED entries are not listed',
      );
      await update(h, 'ENABLE');
      const again = (await describeInsights(h)).ContributorInsightsRuleList![0];
      assert.notEqual(/-(\d{13})$/.exec(again)![1], stamp, 'enabling after a disable makes new rules');
    } finally {
      await h.close();
    }
  });

  test('refuses what the service refuses, in its words', async () => {
    const h = await startHarness({ transitionDelayMs: 150 });
    try {
      await createOrders(h);
      const creating = await errorOf(() => update(h, 'ENABLE'));
      assert.equal(creating.name, 'ValidationException');
      assert.equal(creating.message, 'Table or Index is not in a valid state to update Key Access Insights: TableStatus must be ACTIVE to enable ContributorInsights.');
      await sleep(200);
      assert.equal((await update(h, 'ENABLE')).ContributorInsightsStatus, 'ENABLING');
      assert.equal((await describeInsights(h)).ContributorInsightsStatus, 'ENABLING', 'until the transition delay has passed');
      await sleep(200);
      assert.equal((await describeInsights(h)).ContributorInsightsStatus, 'ENABLED');

      const missing = await errorOf(() => h.client.send(new DescribeContributorInsightsCommand({ TableName: 'Nope' })));
      assert.equal(missing.name, 'ResourceNotFoundException');
      assert.equal(missing.message, 'Requested resource not found: Table: Nope not found');
      for (const IndexName of ['ghost', 'byCustomerLocal']) {
        const index = await errorOf(() => update(h, 'ENABLE', { IndexName }));
        assert.equal(index.name, 'ResourceNotFoundException');
        assert.equal(index.message, `Requested resource not found: Index: ${IndexName} not found for table: Orders`);
      }
      const action = await errorOf(() => h.client.send(new UpdateContributorInsightsCommand({ TableName: 'Orders', ContributorInsightsAction: 'PAUSE' as 'ENABLE' })));
      assert.equal(action.name, 'ValidationException');
      assert.equal(action.message, "1 validation error detected: Value 'PAUSE' at 'contributorInsightsAction' failed to satisfy constraint: Member must satisfy enum value set: [ENABLE, DISABLE]");
      const listMissing = await errorOf(() => list(h, { TableName: 'Nope' }));
      assert.equal(listMissing.name, 'ResourceNotFoundException');
    } finally {
      await h.close();
    }
  });

  test('while on, the engine counts accesses and throttled requests per key, for the table and for a GSI', async () => {
    const h = await startHarness();
    try {
      await createOrders(h, { ReadCapacityUnits: 1, WriteCapacityUnits: 1000 });
      const get = (pk: string, sk: string, ConsistentRead = false) => h.client.send(new GetItemCommand({ TableName: 'Orders', Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead }));
      await get('p0', 'a');
      assert.deepEqual(h.engine.keyContributors(here, 'Orders').mostAccessedPartitionKeys, [], 'nothing is counted while insights are off');

      await update(h, 'ENABLE');
      await update(h, 'ENABLE', { IndexName: 'byCustomer' });
      for (let i = 0; i < 5; i++) await get('p1', 'a');
      await get('p1', 'b');
      await get('p1', 'b');
      await get('p2', 'a');
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'p2' }, sk: { S: 'c' }, customer: { S: 'c1' } } }));
      await h.client.send(new BatchWriteItemCommand({ RequestItems: { Orders: [{ PutRequest: { Item: { pk: { S: 'p3' }, sk: { S: 'a' }, customer: { S: 'c1' } } } }] } }));
      await h.client.send(new QueryCommand({ TableName: 'Orders', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p2' } } }));
      for (let i = 0; i < 3; i++) {
        await h.client.send(new QueryCommand({ TableName: 'Orders', IndexName: 'byCustomer', KeyConditionExpression: 'customer = :c', ExpressionAttributeValues: { ':c': { S: 'c1' } } }));
      }

      const table = h.engine.keyContributors(here, 'Orders');
      assert.deepEqual(table.mostAccessedPartitionKeys, [
        { key: '[{"S":"p1"}]', count: 7 },
        { key: '[{"S":"p2"}]', count: 3 },
        { key: '[{"S":"p3"}]', count: 1 },
      ]);
      assert.deepEqual(table.mostAccessedKeys.slice(0, 2), [
        { key: '[{"S":"p1"},{"S":"a"}]', count: 5 },
        { key: '[{"S":"p1"},{"S":"b"}]', count: 2 },
      ]);
      assert.deepEqual(table.mostThrottledPartitionKeys, []);
      assert.deepEqual(h.engine.keyContributors(here, 'Orders', 'byCustomer').mostAccessedPartitionKeys, [{ key: '[{"S":"c1"}]', count: 3 }]);

      await update(h, 'ENABLE', { ContributorInsightsMode: 'THROTTLED_KEYS' });
      // 1 RCU accrues 300 units of burst; a consistent read of a 300 KB item takes 75.
      await h.client.send(new PutItemCommand({ TableName: 'Orders', Item: { pk: { S: 'big' }, sk: { S: 'a' }, data: { S: 'z'.repeat(300 * 1024) } } }));
      await h.engine.setThrottlingEmulation(here, 'Orders', true);
      let refused = 0;
      for (let i = 0; i < 6; i++) {
        const outcome = await get('big', 'a', true).then(
          () => 'ok',
          (error: Error) => error.name,
        );
        if (outcome === 'ProvisionedThroughputExceededException') refused++;
      }
      assert.ok(refused >= 1, 'the bucket ran dry');
      const throttled = h.engine.keyContributors(here, 'Orders');
      assert.deepEqual(throttled.mostThrottledPartitionKeys, [{ key: '[{"S":"big"}]', count: refused }]);
      assert.deepEqual(throttled.mostThrottledKeys, [{ key: '[{"S":"big"},{"S":"a"}]', count: refused }]);
      assert.equal(throttled.mostAccessedPartitionKeys.find((c) => c.key === '[{"S":"big"}]'), undefined, 'THROTTLED_KEYS counts no accesses');
    } finally {
      await h.close();
    }
  });
});
