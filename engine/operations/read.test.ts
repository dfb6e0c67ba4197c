import { CreateTableCommand, DescribeTableCommand, ExecuteStatementCommand, QueryCommand, ScanCommand, UpdateTableCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, PutCommand, QueryCommand as DocQuery, ScanCommand as DocScan, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

async function seed(h: Harness, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    await h.doc.send(new BatchWriteCommand({ RequestItems: { [table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

describe('Query and Scan through the AWS SDK', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Events',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'status', AttributeType: 'S' },
          { AttributeName: 'rank', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [
          { IndexName: 'byStatus', KeySchema: [{ AttributeName: 'status', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        ],
        LocalSecondaryIndexes: [
          { IndexName: 'byRank', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'rank', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['label'] } },
        ],
      }),
    );
    const items = [];
    for (let p = 0; p < 3; p++) {
      for (let s = 0; s < 40; s++) {
        items.push({ pk: `P${p}`, sk: s - 10, label: `item ${s}`, rank: 100 - s, ...(s % 3 === 0 ? { status: 'open' } : {}), payload: 'x'.repeat(50) });
      }
    }
    await seed(h, 'Events', items);
  });
  after(() => h.close());

  test('key conditions on a number sort key, in both directions', async () => {
    const all = await h.doc.send(new DocQuery({ TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'P1' } }));
    assert.equal(all.Count, 40);
    assert.deepEqual(all.Items!.map((i) => i.sk).slice(0, 3), [-10, -9, -8]);
    const between = await h.doc.send(
      new DocQuery({ TableName: 'Events', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':p': 'P1', ':a': -2, ':b': 2 }, ScanIndexForward: false }),
    );
    assert.deepEqual(between.Items!.map((i) => i.sk), [2, 1, 0, -1, -2]);
    for (const [op, expected] of [['<', 3], ['<=', 4], ['>', 36], ['>=', 37], ['=', 1]] as const) {
      const r = await h.doc.send(new DocQuery({ TableName: 'Events', KeyConditionExpression: `pk = :p AND sk ${op} :v`, ExpressionAttributeValues: { ':p': 'P2', ':v': -7 }, Select: 'COUNT' }));
      assert.equal(r.Count, expected, op);
      assert.equal(r.Items, undefined);
    }
  });

  test('Limit pages with LastEvaluatedKey and the pages add up', async () => {
    const seen: number[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await h.doc.send(new DocQuery({ TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'P0' }, Limit: 7, ExclusiveStartKey }));
      seen.push(...page.Items!.map((i) => i.sk as number));
      ExclusiveStartKey = page.LastEvaluatedKey;
      if (ExclusiveStartKey) assert.deepEqual(Object.keys(ExclusiveStartKey).sort(), ['pk', 'sk']);
      pages++;
    } while (ExclusiveStartKey);
    assert.equal(seen.length, 40);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
    assert.equal(pages, 6);
  });

  test('FilterExpression applies after Limit: Count vs ScannedCount', async () => {
    const r = await h.doc.send(
      new DocQuery({ TableName: 'Events', KeyConditionExpression: 'pk = :p', FilterExpression: 'attribute_exists(#s)', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': 'P0' }, Limit: 10 }),
    );
    assert.equal(r.ScannedCount, 10);
    assert.equal(r.Count, 4);
  });

  test('GSI query is sparse, keys-only, and its LastEvaluatedKey carries table and index keys', async () => {
    const r = await h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byStatus', KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': 'open' }, Limit: 5 }));
    assert.equal(r.Count, 5);
    assert.deepEqual(Object.keys(r.Items![0]).sort(), ['pk', 'sk', 'status']);
    assert.deepEqual(Object.keys(r.LastEvaluatedKey!).sort(), ['pk', 'sk', 'status']);
    const total = await h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byStatus', KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': 'open' }, Select: 'COUNT' }));
    assert.equal(total.Count, 42);
    const consistent = await errorOf(() =>
      h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byStatus', ConsistentRead: true, KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': 'open' } })),
    );
    assert.equal(consistent.message, 'Consistent reads are not supported on global secondary indexes');
    const allAttributes = await errorOf(() =>
      h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byStatus', Select: 'ALL_ATTRIBUTES', KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': 'open' } })),
    );
    assert.equal(allAttributes.message, 'One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index byStatus because its projection type is not ALL');
  });

  test('LSI query orders by the index sort key and projects INCLUDE attributes; ALL_ATTRIBUTES fetches the item', async () => {
    const r = await h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byRank', KeyConditionExpression: 'pk = :p AND #r > :r', ExpressionAttributeNames: { '#r': 'rank' }, ExpressionAttributeValues: { ':p': 'P1', ':r': 97 } }));
    assert.deepEqual(r.Items!.map((i) => i.rank), [98, 99, 100]);
    assert.deepEqual(Object.keys(r.Items![0]).sort(), ['label', 'pk', 'rank', 'sk']);
    const full = await h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byRank', Select: 'ALL_ATTRIBUTES', ConsistentRead: true, KeyConditionExpression: 'pk = :p AND #r > :r', ExpressionAttributeNames: { '#r': 'rank' }, ExpressionAttributeValues: { ':p': 'P1', ':r': 99 } }));
    assert.equal(full.Items![0].payload, 'x'.repeat(50));
  });

  test('index entries follow every write path: update moves, delete removes', async () => {
    const q = () => h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byStatus', KeyConditionExpression: '#s = :o', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':o': 'closed' } }));
    await h.doc.send(new UpdateCommand({ TableName: 'Events', Key: { pk: 'P0', sk: -10 }, UpdateExpression: 'SET #s = :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': 'closed' } }));
    assert.equal((await q()).Count, 1);
    await h.doc.send(new PutCommand({ TableName: 'Events', Item: { pk: 'P0', sk: -10, rank: 1 } }));
    assert.equal((await q()).Count, 0);
    await h.doc.send(new UpdateCommand({ TableName: 'Events', Key: { pk: 'P0', sk: -9 }, UpdateExpression: 'SET #s = :c', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':c': 'closed' } }));
    await h.doc.send(new DeleteCommand({ TableName: 'Events', Key: { pk: 'P0', sk: -9 } }));
    assert.equal((await q()).Count, 0);
    const mismatch = await errorOf(() => h.doc.send(new PutCommand({ TableName: 'Events', Item: { pk: 'P0', sk: 500, status: 5 } })));
    assert.equal(mismatch.message, 'One or more parameter values were invalid: Type mismatch for Index Key status Expected: S Actual: N IndexName: byStatus');
  });

  test('parallel scan segments are disjoint and cover the table', async () => {
    const keys = new Set<string>();
    let total = 0;
    for (let segment = 0; segment < 4; segment++) {
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await h.doc.send(new DocScan({ TableName: 'Events', Segment: segment, TotalSegments: 4, Limit: 13, ExclusiveStartKey }));
        for (const item of page.Items!) keys.add(`${item.pk}/${item.sk}`);
        total += page.Count!;
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
    }
    const whole = await h.client.send(new ScanCommand({ TableName: 'Events', Select: 'COUNT' }));
    assert.equal(total, whole.Count);
    assert.equal(keys.size, whole.Count);
    const countWithProjection = await errorOf(() => h.client.send(new ScanCommand({ TableName: 'Events', Select: 'COUNT', ProjectionExpression: 'pk' })));
    assert.equal(countWithProjection.message, 'Cannot specify the ProjectionExpression when choosing to get only the Count');
    const bad = await errorOf(() => h.client.send(new ScanCommand({ TableName: 'Events', Segment: 4, TotalSegments: 4 })));
    assert.equal(bad.message, 'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
  });

  test('a 1 MB page cut-off applies before the filter', async () => {
    await h.client.send(
      new CreateTableCommand({ TableName: 'Big', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }),
    );
    const blob = 'y'.repeat(100 * 1024);
    await seed(h, 'Big', Array.from({ length: 25 }, (_, id) => ({ id, blob })));
    const page = await h.doc.send(new DocScan({ TableName: 'Big', FilterExpression: 'id = :none', ExpressionAttributeValues: { ':none': -1 } }));
    assert.equal(page.Count, 0);
    assert.equal(page.ScannedCount, 11); // 10 items reach ~1,000 KB; the 11th crosses 1 MB and ends the page
    assert.ok(page.LastEvaluatedKey);
    const cap = await h.client.send(new ScanCommand({ TableName: 'Big', Limit: 2, ReturnConsumedCapacity: 'TOTAL' }));
    // Two ~100 KB items: 200 KB / 4 KB = 51 units (rounded up), halved for an eventually consistent read.
    assert.equal(cap.ConsumedCapacity?.CapacityUnits, 25.5);
  });

  test('Query errors carry DynamoDB’s messages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ TableName: 'Events' }, 'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.'],
      [{ TableName: 'Events', IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } } }, 'The table does not have the specified index: nope'],
      [
        { TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Select: 'COUNT', ProjectionExpression: 'sk' },
        '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get only the Count',
      ],
      [
        { TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Select: 'ALL_ATTRIBUTES', ProjectionExpression: 'sk' },
        '1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES',
      ],
      [
        { TableName: 'Events', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'x' } }, Select: 'SPECIFIC_ATTRIBUTES' },
        'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES',
      ],
      [{ TableName: 'Events', KeyConditionExpression: 'sk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } }, 'Query condition missed key schema element: pk'],
      [
        { TableName: 'Events', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :s', ExpressionAttributeValues: { ':p': { S: 'P0' }, ':s': { N: '1' } } },
        'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
      ],
      [
        { TableName: 'Events', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': { S: 'P0' }, ':s': { N: '5' } }, ExclusiveStartKey: { pk: { S: 'P0' }, sk: { N: '1' } } },
        'The provided starting key does not match the range key predicate',
      ],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(() => h.client.send(new QueryCommand(input as never)));
      assert.equal(error.message, message);
    }
  });

  test('a GSI added later backfills existing items and becomes ACTIVE', async () => {
    await h.client.send(
      new UpdateTableCommand({
        TableName: 'Events',
        AttributeDefinitions: [{ AttributeName: 'label', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byLabel', KeySchema: [{ AttributeName: 'label', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
      }),
    );
    // Writes during the backfill land in the index too.
    await h.doc.send(new PutCommand({ TableName: 'Events', Item: { pk: 'P9', sk: 1, label: 'item 5' } }));
    for (let i = 0; i < 100; i++) {
      const d = await h.client.send(new DescribeTableCommand({ TableName: 'Events' }));
      if (d.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'byLabel')?.IndexStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await h.doc.send(new DocQuery({ TableName: 'Events', IndexName: 'byLabel', KeyConditionExpression: 'label = :l', ExpressionAttributeValues: { ':l': 'item 5' } }));
    assert.deepEqual(r.Items!.map((i) => `${i.pk}/${i.sk}`).sort(), ['P0/-5', 'P1/-5', 'P2/-5', 'P9/1']);
    // 120 seeded items, one rewritten without a label, one deleted, one added during the backfill.
    const described = await h.client.send(new DescribeTableCommand({ TableName: 'Events' }));
    assert.equal(described.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'byLabel')?.ItemCount, 119);
    assert.equal(described.Table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === 'byStatus')?.ItemCount, 41);
  });
});

describe('index maintenance on the batch, transaction and PartiQL write paths', () => {
  test('every write path keeps the GSI in step', async () => {
    const h = await startHarness();
    try {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'Paths',
          AttributeDefinitions: [
            { AttributeName: 'id', AttributeType: 'S' },
            { AttributeName: 'g', AttributeType: 'S' },
          ],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
        }),
      );
      const inIndex = async (g: string) =>
        (await h.doc.send(new DocQuery({ TableName: 'Paths', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': g } }))).Items!.map((i) => i.id).sort();
      await h.doc.send(new BatchWriteCommand({ RequestItems: { Paths: [{ PutRequest: { Item: { id: 'b1', g: 'batch' } } }, { PutRequest: { Item: { id: 'b2', g: 'batch' } } }] } }));
      assert.deepEqual(await inIndex('batch'), ['b1', 'b2']);
      await h.doc.send(new BatchWriteCommand({ RequestItems: { Paths: [{ DeleteRequest: { Key: { id: 'b1' } } }] } }));
      assert.deepEqual(await inIndex('batch'), ['b2']);
      await h.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'Paths', Item: { id: 't1', g: 'tx' } } },
            { Update: { TableName: 'Paths', Key: { id: 'b2' }, UpdateExpression: 'SET g = :g', ExpressionAttributeValues: { ':g': 'tx' } } },
          ],
        }),
      );
      assert.deepEqual(await inIndex('tx'), ['b2', 't1']);
      assert.deepEqual(await inIndex('batch'), []);
      await h.doc.send(new TransactWriteCommand({ TransactItems: [{ Delete: { TableName: 'Paths', Key: { id: 't1' } } }] }));
      assert.deepEqual(await inIndex('tx'), ['b2']);
      await h.client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Paths" VALUE {'id': 'p1', 'g': 'partiql'}` }));
      await h.client.send(new ExecuteStatementCommand({ Statement: `UPDATE "Paths" SET g = 'partiql' WHERE id = 'b2'` }));
      assert.deepEqual(await inIndex('partiql'), ['b2', 'p1']);
      await h.client.send(new ExecuteStatementCommand({ Statement: `DELETE FROM "Paths" WHERE id = 'p1'` }));
      assert.deepEqual(await inIndex('partiql'), ['b2']);
      const described = await h.client.send(new DescribeTableCommand({ TableName: 'Paths' }));
      assert.equal(described.Table?.GlobalSecondaryIndexes?.[0].ItemCount, 1);
    } finally {
      await h.close();
    }
  });
});
