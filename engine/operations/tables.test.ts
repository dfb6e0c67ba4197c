import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeEndpointsCommand,
  DescribeLimitsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTableCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const simpleTable = (name: string): CreateTableCommandInput => ({
  TableName: name,
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
});

describe('control plane through the AWS SDK', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  test('CreateTable returns DynamoDB’s description and DescribeTable agrees', async () => {
    const created = await h.client.send(
      new CreateTableCommand({
        TableName: 'Orders',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
          { AttributeName: 'gpk', AttributeType: 'S' },
          { AttributeName: 'lsk', AttributeType: 'N' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 7 },
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byG',
            KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byL',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'lsk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] },
          },
        ],
        StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Tags: [{ Key: 'team', Value: 'core' }],
        DeletionProtectionEnabled: true,
      }),
    );
    const t = created.TableDescription!;
    assert.equal(t.TableName, 'Orders');
    assert.equal(t.TableStatus, 'ACTIVE');
    assert.equal(t.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders');
    assert.match(t.TableId!, /^[0-9a-f-]{36}$/);
    assert.equal(t.ItemCount, 0);
    assert.equal(t.ProvisionedThroughput?.ReadCapacityUnits, 5);
    assert.equal(t.ProvisionedThroughput?.WriteCapacityUnits, 7);
    assert.equal(t.GlobalSecondaryIndexes?.[0].IndexStatus, 'ACTIVE');
    assert.equal(t.GlobalSecondaryIndexes?.[0].IndexArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders/index/byG');
    assert.deepEqual(t.LocalSecondaryIndexes?.[0].Projection, { ProjectionType: 'INCLUDE', NonKeyAttributes: ['total'] });
    assert.equal(t.StreamSpecification?.StreamViewType, 'NEW_AND_OLD_IMAGES');
    assert.match(t.LatestStreamArn!, /^arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/stream\/\d{4}-\d\d-\d\dT/);
    assert.equal(t.DeletionProtectionEnabled, true);
    assert.ok(t.CreationDateTime instanceof Date);

    const described = await h.client.send(new DescribeTableCommand({ TableName: 'Orders' }));
    assert.equal(described.Table?.TableId, t.TableId);
    assert.equal(described.Table?.KeySchema?.length, 2);
  });

  test('DeleteTable honours deletion protection, then deletes', async () => {
    const protectedError = await errorOf(() => h.client.send(new DeleteTableCommand({ TableName: 'Orders' })));
    assert.equal(protectedError.name, 'ValidationException');
    await h.client.send(new UpdateTableCommand({ TableName: 'Orders', DeletionProtectionEnabled: false }));
    const deleted = await h.client.send(new DeleteTableCommand({ TableName: 'Orders' }));
    assert.equal(deleted.TableDescription?.TableStatus, 'DELETING');
    const gone = await errorOf(() => h.client.send(new DescribeTableCommand({ TableName: 'Orders' })));
    assert.equal(gone.name, 'ResourceNotFoundException');
    assert.equal(gone.message, 'Requested resource not found: Table: Orders not found');
  });

  test('CreateTable of an existing table is ResourceInUseException', async () => {
    await h.client.send(new CreateTableCommand(simpleTable('Dup')));
    const error = await errorOf(() => h.client.send(new CreateTableCommand(simpleTable('Dup'))));
    assert.equal(error.name, 'ResourceInUseException');
    assert.equal(error.message, 'Table already exists: Dup');
  });

  test('a name failing both length and pattern is reported in the service’s order for each member', async () => {
    // Captured against real DynamoDB (paritysuite details/DDB-TABLE-457): length first for TableName,
    // pattern first for ListTables' ExclusiveStartTableName.
    const describeEmpty = await errorOf(() => h.client.send(new DescribeTableCommand({ TableName: '' })));
    assert.equal(
      describeEmpty.message,
      "2 validation errors detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3; " +
        "Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
    );
    const listEmpty = await errorOf(() => h.client.send(new ListTablesCommand({ ExclusiveStartTableName: '' })));
    assert.equal(
      listEmpty.message,
      "2 validation errors detected: Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value '' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  test('validation errors carry DynamoDB’s exact messages', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { ...simpleTable('ab') },
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
      ],
      [
        { ...simpleTable('bad name!') },
        "1 validation error detected: Value 'bad name!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
      ],
      [
        { ...simpleTable('NoThroughput'), BillingMode: undefined },
        'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
      ],
      [
        { ...simpleTable('Extra'), AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
      ],
      [
        { ...simpleTable('Undefined'), KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]',
      ],
      [
        { ...simpleTable('FirstRange'), KeySchema: [{ AttributeName: 'pk', KeyType: 'RANGE' }] },
        'Invalid KeySchema: The first KeySchemaElement is not a HASH key type',
      ],
      [
        {
          ...simpleTable('IncludeNothing'),
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE' } }],
        },
        'One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified',
      ],
      [
        {
          ...simpleTable('LocalIncludeNothing'),
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          LocalSecondaryIndexes: [
            { IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'INCLUDE' } },
          ],
        },
        'One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified',
      ],
    ];
    for (const [input, message] of cases) {
      const error = await errorOf(() => h.client.send(new CreateTableCommand(input as unknown as CreateTableCommandInput)));
      assert.equal(error.name, 'ValidationException', message);
      assert.equal(error.message, message);
    }
  });

  test('ListTables pages by ExclusiveStartTableName / LastEvaluatedTableName in name order', async () => {
    for (const name of ['page-c', 'page-a', 'page-b']) await h.client.send(new CreateTableCommand(simpleTable(name)));
    const first = await h.client.send(new ListTablesCommand({ Limit: 2 }));
    assert.deepEqual(first.TableNames, ['Dup', 'page-a']);
    assert.equal(first.LastEvaluatedTableName, 'page-a');
    const second = await h.client.send(new ListTablesCommand({ ExclusiveStartTableName: 'page-a', Limit: 2 }));
    assert.deepEqual(second.TableNames, ['page-b', 'page-c']);
  });

  test('tables are namespaced by the request’s region', async () => {
    const west = h.clientFor('eu-west-1');
    await west.send(new CreateTableCommand(simpleTable('RegionalOnly')));
    const westList = await west.send(new ListTablesCommand({}));
    assert.deepEqual(westList.TableNames, ['RegionalOnly']);
    const eastList = await h.client.send(new ListTablesCommand({}));
    assert.ok(!eastList.TableNames?.includes('RegionalOnly'));
    const described = await west.send(new DescribeTableCommand({ TableName: 'RegionalOnly' }));
    assert.equal(described.Table?.TableArn, 'arn:aws:dynamodb:eu-west-1:000000000000:table/RegionalOnly');
    assert.deepEqual(
      h.engine.namespaces().map((n) => n.region),
      ['eu-west-1', 'us-east-1'],
    );
  });

  test('UpdateTable changes throughput and billing mode', async () => {
    await h.client.send(new CreateTableCommand({ ...simpleTable('Prov'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    const same = await errorOf(() =>
      h.client.send(new UpdateTableCommand({ TableName: 'Prov', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
    );
    assert.equal(same.name, 'ValidationException');
    const unchanged =
      'The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 1. Requested ReadCapacityUnits: 1. Current WriteCapacityUnits provisioned for the table: 1. Requested WriteCapacityUnits: 1. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.';
    assert.equal(same.message, unchanged);
    // Restating the billing mode the table already has changes nothing either.
    const restated = await errorOf(() =>
      h.client.send(new UpdateTableCommand({ TableName: 'Prov', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })),
    );
    assert.equal(restated.name, 'ValidationException');
    assert.equal(restated.message, unchanged);
    const updated = await h.client.send(new UpdateTableCommand({ TableName: 'Prov', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 5 } }));
    assert.equal(updated.TableDescription?.ProvisionedThroughput?.ReadCapacityUnits, 10);
    assert.ok(updated.TableDescription?.ProvisionedThroughput?.LastIncreaseDateTime instanceof Date);
    const onDemand = await h.client.send(new UpdateTableCommand({ TableName: 'Prov', BillingMode: 'PAY_PER_REQUEST' }));
    assert.equal(onDemand.TableDescription?.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
    const nothing = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Prov' })));
    assert.equal(
      nothing.message,
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  });

  test('UpdateTable: a new GSI’s key attributes are declared in the request; a re-declared attribute keeps its type', async () => {
    await h.client.send(
      new CreateTableCommand({
        ...simpleTable('Growing'),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'g1', AttributeType: 'S' },
        ],
        GlobalSecondaryIndexes: [{ IndexName: 'byG1', KeySchema: [{ AttributeName: 'g1', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    const createIndex = (AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' }[] | undefined, attribute: string) =>
      h.client.send(
        new UpdateTableCommand({
          TableName: 'Growing',
          AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byNew', KeySchema: [{ AttributeName: attribute, KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }],
        }),
      );
    const undeclared = await errorOf(() => createIndex(undefined, 'g2'));
    assert.equal(undeclared.name, 'ValidationException');
    assert.equal(undeclared.message, 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [g2], AttributeDefinitions: []');
    // The table defines g1, but a new index on it must still declare it in the request.
    const notRedeclared = await errorOf(() => createIndex([{ AttributeName: 'g2', AttributeType: 'S' }], 'g1'));
    assert.equal(notRedeclared.message, 'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [g1], AttributeDefinitions: [g2]');
    // Re-declaring g1 with another type is accepted; the table's definition stands.
    const updated = await createIndex([{ AttributeName: 'g1', AttributeType: 'N' }], 'g1');
    assert.deepEqual(updated.TableDescription?.AttributeDefinitions, [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'g1', AttributeType: 'S' },
    ]);
    assert.deepEqual(updated.TableDescription?.GlobalSecondaryIndexes?.map((i) => i.IndexName), ['byG1', 'byNew']);
  });

  test('OnDemandThroughput round-trips through CreateTable, UpdateTable and DescribeTable', async () => {
    await h.client.send(new CreateTableCommand({ ...simpleTable('Capped'), OnDemandThroughput: { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 5 } }));
    const described = async () => (await h.client.send(new DescribeTableCommand({ TableName: 'Capped' }))).Table?.OnDemandThroughput;
    assert.deepEqual(await described(), { MaxReadRequestUnits: 10, MaxWriteRequestUnits: 5 });
    const updated = await h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxReadRequestUnits: 20, MaxWriteRequestUnits: 15 } }));
    assert.deepEqual(updated.TableDescription?.OnDemandThroughput, { MaxReadRequestUnits: 20, MaxWriteRequestUnits: 15 });
    // A member alone replaces that member; -1 removes a ceiling, and with none left the member is absent.
    await h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxWriteRequestUnits: -1 } }));
    assert.deepEqual(await described(), { MaxReadRequestUnits: 20 });
    await h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxReadRequestUnits: -1 } }));
    assert.equal(await described(), undefined);
    const refusals: [() => Promise<unknown>, string][] = [
      [
        () => h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxWriteRequestUnits: 0 } })),
        'One or more parameter values were invalid: Requested MaxWriteRequestUnits for OnDemandThroughput for table is outside of valid range',
      ],
      [
        () => h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxReadRequestUnits: -2 } })),
        'One or more parameter values were invalid: Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid range',
      ],
      [
        () =>
          h.client.send(
            new CreateTableCommand({ ...simpleTable('CappedProvisioned'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, OnDemandThroughput: { MaxWriteRequestUnits: 5 } }),
          ),
        'One or more parameter values were invalid: MaxWriteRequestUnits for OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED.',
      ],
      [
        () => h.client.send(new UpdateTableCommand({ TableName: 'Uncapped', OnDemandThroughput: { MaxReadRequestUnits: 100, MaxWriteRequestUnits: 100 } })),
        'One or more parameter values were invalid: MaxReadRequestUnits for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED',
      ],
    ];
    await h.client.send(new CreateTableCommand({ ...simpleTable('Uncapped'), BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    for (const [send, message] of refusals) {
      const error = await errorOf(send);
      assert.equal(error.name, 'ValidationException', message);
      assert.equal(error.message, message);
    }
    // Switching to provisioned capacity drops the ceilings.
    await h.client.send(new UpdateTableCommand({ TableName: 'Capped', OnDemandThroughput: { MaxReadRequestUnits: 50 } }));
    await h.client.send(new UpdateTableCommand({ TableName: 'Capped', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
    assert.equal(await described(), undefined);
  });

  test('WarmThroughput is described for the table and its GSIs, and only ever rises', async () => {
    const gsi = (IndexName: string, extra: Record<string, unknown> = {}) => ({ IndexName, KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'KEYS_ONLY' as const }, ...extra });
    const definitions = [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      { AttributeName: 'g', AttributeType: 'S' as const },
    ];
    await h.client.send(new CreateTableCommand({ ...simpleTable('Warm'), AttributeDefinitions: definitions, GlobalSecondaryIndexes: [gsi('byG')] }));
    await h.client.send(
      new CreateTableCommand({
        ...simpleTable('Prewarmed'),
        AttributeDefinitions: definitions,
        WarmThroughput: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 4500 },
        GlobalSecondaryIndexes: [gsi('byG', { WarmThroughput: { ReadUnitsPerSecond: 13000, WriteUnitsPerSecond: 4000 } })],
      }),
    );
    await h.client.send(
      new CreateTableCommand({
        ...simpleTable('WarmProvisioned'),
        AttributeDefinitions: definitions,
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
        GlobalSecondaryIndexes: [gsi('byG', { ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 1 } })],
      }),
    );
    const warmOf = async (TableName: string) => {
      const table = (await h.client.send(new DescribeTableCommand({ TableName }))).Table!;
      return { table: table.WarmThroughput, gsi: table.GlobalSecondaryIndexes?.[0].WarmThroughput };
    };
    // On demand, a table and a GSI start ready for 12,000 reads and 4,000 writes a second.
    assert.deepEqual(await warmOf('Warm'), {
      table: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
      gsi: { ReadUnitsPerSecond: 12000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
    });
    assert.deepEqual(await warmOf('Prewarmed'), {
      table: { ReadUnitsPerSecond: 15000, WriteUnitsPerSecond: 4500, Status: 'ACTIVE' },
      gsi: { ReadUnitsPerSecond: 13000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
    });
    // Provisioned, at their provisioned capacity.
    assert.deepEqual(await warmOf('WarmProvisioned'), {
      table: { ReadUnitsPerSecond: 5, WriteUnitsPerSecond: 3, Status: 'ACTIVE' },
      gsi: { ReadUnitsPerSecond: 2, WriteUnitsPerSecond: 1, Status: 'ACTIVE' },
    });
    const raised = await h.client.send(
      new UpdateTableCommand({
        TableName: 'Warm',
        WarmThroughput: { ReadUnitsPerSecond: 20000 },
        GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', WarmThroughput: { ReadUnitsPerSecond: 14000, WriteUnitsPerSecond: 5000 } } }],
      }),
    );
    assert.deepEqual(raised.TableDescription?.WarmThroughput, { ReadUnitsPerSecond: 20000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' });
    const lower = await errorOf(() => h.client.send(new UpdateTableCommand({ TableName: 'Warm', WarmThroughput: { ReadUnitsPerSecond: 19000, WriteUnitsPerSecond: 4000 } })));
    assert.equal(lower.name, 'ValidationException');
    assert.equal(
      lower.message,
      'One or more parameter values were invalid: Requested ReadUnitsPerSecond for WarmThroughput for table is lower than current WarmThroughput, decreasing WarmThroughput is not supported',
    );
    // A switch to provisioned capacity keeps what the table and its index are ready for.
    await h.client.send(new UpdateTableCommand({ TableName: 'Warm', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }));
    assert.deepEqual(await warmOf('Warm'), {
      table: { ReadUnitsPerSecond: 20000, WriteUnitsPerSecond: 4000, Status: 'ACTIVE' },
      gsi: { ReadUnitsPerSecond: 14000, WriteUnitsPerSecond: 5000, Status: 'ACTIVE' },
    });
  });

  test('tags: add, overwrite, list, remove', async () => {
    const arn = (await h.client.send(new DescribeTableCommand({ TableName: 'Dup' }))).Table!.TableArn!;
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '3' }] }));
    await h.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['b'] }));
    const tags = await h.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    assert.deepEqual(tags.Tags, [{ Key: 'a', Value: '3' }]);
  });

  test('tagging operations on the ARN of a table that does not exist are refused as unauthorised', async () => {
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/nonexistent_table_xyz';
    const refusals: [string, () => Promise<unknown>][] = [
      ['ListTagsOfResource', () => h.client.send(new ListTagsOfResourceCommand({ ResourceArn: arn }))],
      ['TagResource', () => h.client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'a', Value: '1' }] }))],
      ['UntagResource', () => h.client.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }))],
    ];
    for (const [operation, send] of refusals) {
      const error = await errorOf(send);
      assert.equal(error.name, 'AccessDeniedException', operation);
      assert.equal(
        error.message,
        `User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:${operation} on resource: ${arn} because no resource-based policy allows the dynamodb:${operation} action`,
      );
    }
    // On the wire the service capitalises this error's Message, as it does SerializationException's.
    const raw = await fetch(h.endpoint.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.0',
        'X-Amz-Target': 'DynamoDB_20120810.ListTagsOfResource',
        'X-Amz-Date': '20240101T000000Z',
        Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
      },
      body: JSON.stringify({ ResourceArn: arn }),
    });
    assert.equal(raw.status, 400);
    const body = (await raw.json()) as Record<string, unknown>;
    assert.equal(body.__type, 'com.amazon.coral.service#AccessDeniedException');
    assert.match(String(body.Message), /^User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource/);
    // A malformed ARN is still a validation error.
    const malformed = await errorOf(() => h.client.send(new ListTagsOfResourceCommand({ ResourceArn: 'not-a-valid-arn' })));
    assert.equal(malformed.name, 'ValidationException');
  });

  test('DescribeLimits and DescribeEndpoints answer as the service does', async () => {
    const limits = await h.client.send(new DescribeLimitsCommand({}));
    assert.equal(limits.TableMaxReadCapacityUnits, 40000);
    const endpoints = await h.client.send(new DescribeEndpointsCommand({}));
    assert.equal(endpoints.Endpoints?.[0].Address, 'dynamodb.us-east-1.amazonaws.com');
  });
});

describe('table status transitions with a delay', () => {
  let h: Harness;
  before(async () => (h = await startHarness({ transitionDelayMs: 50 })));
  after(() => h.close());

  test('CREATING turns ACTIVE and the SDK waiter sees it', async () => {
    const created = await h.client.send(new CreateTableCommand(simpleTable('Slow')));
    assert.equal(created.TableDescription?.TableStatus, 'CREATING');
    await waitUntilTableExists({ client: h.client, maxWaitTime: 10, minDelay: 1 }, { TableName: 'Slow' });
    const described = await h.client.send(new DescribeTableCommand({ TableName: 'Slow' }));
    assert.equal(described.Table?.TableStatus, 'ACTIVE');
  });
});
