/**
 * Tables and fixtures from project files, created through startDynamoLens and read back with the
 * real AWS SDK.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand, DescribeTimeToLiveCommand, GetItemCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLens } from './testApi.ts';

const CLOUDFORMATION_YAML = `
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: test
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub '\${Stage}-orders'
      BillingMode: !If [IsProd, PROVISIONED, PAY_PER_REQUEST]
      ProvisionedThroughput: !If [IsProd, { ReadCapacityUnits: 5, WriteCapacityUnits: 5 }, !Ref AWS::NoValue]
      AttributeDefinitions:
        - AttributeName: pk
          AttributeType: S
        - AttributeName: sk
          AttributeType: S
        - AttributeName: status
          AttributeType: S
      KeySchema:
        - { AttributeName: pk, KeyType: HASH }
        - { AttributeName: sk, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: byStatus
          KeySchema: [{ AttributeName: status, KeyType: HASH }]
          Projection: { ProjectionType: KEYS_ONLY }
          ContributorInsightsSpecification: { Enabled: true }
      LocalSecondaryIndexes:
        - IndexName: byStatusLocal
          KeySchema: [{ AttributeName: pk, KeyType: HASH }, { AttributeName: status, KeyType: RANGE }]
          Projection: { ProjectionType: ALL }
      StreamSpecification:
        StreamViewType: NEW_IMAGE
      TimeToLiveSpecification:
        AttributeName: expiresAt
        Enabled: true
      PointInTimeRecoverySpecification:
        PointInTimeRecoveryEnabled: true
      Tags:
        - Key: stack
          Value: !Ref AWS::StackName
  Unnamed:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: N }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  OnlyInProd:
    Type: AWS::DynamoDB::Table
    Condition: IsProd
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
  Queue:
    Type: AWS::SQS::Queue
  Global:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: global-things
      BillingMode: PROVISIONED
      AttributeDefinitions: [{ AttributeName: id, AttributeType: S }]
      KeySchema: [{ AttributeName: id, KeyType: HASH }]
      WriteProvisionedThroughputSettings:
        WriteCapacityAutoScalingSettings: { MinCapacity: 3, MaxCapacity: 10, TargetTrackingScalingPolicyConfiguration: { TargetValue: 70 } }
      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
      Replicas:
        - Region: us-east-1
          ReadProvisionedThroughputSettings: { ReadCapacityUnits: 4 }
        - Region: eu-west-1
          ReadProvisionedThroughputSettings: { ReadCapacityUnits: 2 }
`;

const SERVERLESS_YAML = `
service: shop
provider:
  name: aws
  stage: \${opt:stage, 'dev'}
custom:
  usersTable: \${self:service}-users-\${sls:stage}
resources:
  Resources:
    UsersTable:
      Type: AWS::DynamoDB::Table
      Properties:
        TableName: \${self:custom.usersTable}
        BillingMode: PAY_PER_REQUEST
        AttributeDefinitions: [{ AttributeName: email, AttributeType: S }]
        KeySchema: [{ AttributeName: email, KeyType: HASH }]
`;

const CREATE_TABLE_JSON = {
  TableName: 'plain-create-table',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('tables and seed from project files', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  before(() => (dir = mkdtempSync(join(tmpdir(), 'dynamo-lens-tables-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates tables from a CloudFormation/SAM template in YAML with short-form tags, conditions and a global table', async () => {
    const lens = await startDynamoLens({ tables: file('template.yaml', CLOUDFORMATION_YAML) });
    const client = lens.client();
    const europe = lens.client({ region: 'eu-west-1' });
    try {
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['Unnamed', 'global-things', 'test-orders']);
      const orders = (await client.send(new DescribeTableCommand({ TableName: 'test-orders' }))).Table!;
      assert.equal(orders.BillingModeSummary?.BillingMode, 'PAY_PER_REQUEST');
      assert.deepEqual(orders.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.Projection?.ProjectionType]), [['byStatus', 'KEYS_ONLY']]);
      assert.deepEqual(orders.LocalSecondaryIndexes?.map((i) => i.IndexName), ['byStatusLocal']);
      assert.deepEqual(orders.StreamSpecification, { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: 'test-orders' }));
      assert.deepEqual(ttl.TimeToLiveDescription, { TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      const global = (await europe.send(new DescribeTableCommand({ TableName: 'global-things' }))).Table!;
      assert.deepEqual([global.ProvisionedThroughput?.ReadCapacityUnits, global.ProvisionedThroughput?.WriteCapacityUnits], [2, 3]);
      assert.deepEqual((await europe.send(new ListTablesCommand({}))).TableNames, ['global-things'], 'a replica region holds only the global table');
    } finally {
      client.destroy();
      europe.destroy();
      await lens.close();
    }
  });

  it('reads a JSON template, a serverless.yml resources block and CreateTable JSON, files or objects', async () => {
    const jsonTemplate = { Resources: { Things: { Type: 'AWS::DynamoDB::Table', Properties: { ...CREATE_TABLE_JSON, TableName: { 'Fn::Join': ['-', ['json', 'things']] } } } } };
    const lens = await startDynamoLens({
      tables: [file('template.json', JSON.stringify(jsonTemplate)), file('serverless.yml', SERVERLESS_YAML), file('create.json', JSON.stringify(CREATE_TABLE_JSON)), { ...CREATE_TABLE_JSON, TableName: 'inline' }],
    });
    const client = lens.client();
    try {
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['inline', 'json-things', 'plain-create-table', 'shop-users-dev']);
    } finally {
      client.destroy();
      await lens.close();
    }
  });

  it("refuses a bad definition with DynamoDB's own message, naming the file and table", async () => {
    const bad = file('bad.json', JSON.stringify({ ...CREATE_TABLE_JSON, KeySchema: [{ AttributeName: 'missing', KeyType: 'HASH' }] }));
    await assert.rejects(startDynamoLens({ tables: bad }), {
      message: `table plain-create-table (us-east-1): One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [missing], AttributeDefinitions: [pk]`,
    });
    const unresolvable = file('unresolvable.yaml', 'Resources:\n  T:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: !Ref NoSuchParameter\n');
    await assert.rejects(startDynamoLens({ tables: unresolvable }), { message: `${unresolvable}: T: cannot resolve NoSuchParameter (a parameter without a Default?)` });
  });

  it('seeds DynamoDB JSON, plain JSON, BatchWriteItem files and item-per-line exports', async () => {
    const lens = await startDynamoLens({
      tables: CREATE_TABLE_JSON,
      seed: [
        file('typed.json', JSON.stringify({ 'plain-create-table': [{ pk: { S: 'typed' }, n: { N: '1' } }] })),
        file('plain.json', JSON.stringify({ 'plain-create-table': [{ pk: 'plain', n: 2, tags: ['a'], nested: { ok: true } }] })),
        file('batch.json', JSON.stringify({ RequestItems: { 'plain-create-table': [{ PutRequest: { Item: { pk: { S: 'batch' } } } }] } })),
        `plain-create-table=${file('export.jsonl', '{"Item":{"pk":{"S":"export-1"}}}\n{"Item":{"pk":{"S":"export-2"}}}\n')}`,
        { 'plain-create-table': [{ pk: 'object' }] },
      ],
    });
    const client = lens.client();
    try {
      const keys = ((await client.send(new ScanCommand({ TableName: 'plain-create-table' }))).Items ?? []).map((item) => item.pk.S).sort();
      assert.deepEqual(keys, ['batch', 'export-1', 'export-2', 'object', 'plain', 'typed']);
      const plain = (await client.send(new GetItemCommand({ TableName: 'plain-create-table', Key: { pk: { S: 'plain' } } }))).Item;
      assert.deepEqual(plain, { pk: { S: 'plain' }, n: { N: '2' }, tags: { L: [{ S: 'a' }] }, nested: { M: { ok: { BOOL: true } } } });
    } finally {
      client.destroy();
      await lens.close();
    }
  });

  it('keeps every digit of plain JSON numbers, and reads CSV with a type per column', async () => {
    const csv = [
      '\uFEFFpk,total,zip,active,score:S,tags:SS,doc,note,missing',
      'a,12345678901234567890123456789012345678,0150,true,42,"[""x"",""y""]","{""n"":0.1000000000000000000000000000000000001}","comma, and ""quotes""",',
      'b,-1.5e3,,false,7,,[1],plain,',
    ].join('\r\n');
    const lens = await startDynamoLens({
      tables: CREATE_TABLE_JSON,
      seed: [
        `plain-create-table=${file('big.jsonl', '{"pk":"big","total":12345678901234567890123456789012345678,"price":0.1000000000000000000000000000000000001,"big":9007199254740993}\n')}`,
        `plain-create-table=${file('rows.csv', csv)}`,
      ],
    });
    const client = lens.client();
    const get = async (pk: string) => (await client.send(new GetItemCommand({ TableName: 'plain-create-table', Key: { pk: { S: pk } } }))).Item;
    try {
      assert.deepEqual(await get('big'), {
        pk: { S: 'big' },
        total: { N: '12345678901234567890123456789012345678' },
        price: { N: '0.1000000000000000000000000000000000001' },
        big: { N: '9007199254740993' },
      });
      assert.deepEqual(await get('a'), {
        pk: { S: 'a' },
        total: { N: '12345678901234567890123456789012345678' },
        zip: { S: '0150' },
        active: { BOOL: true },
        score: { S: '42' },
        tags: { SS: ['x', 'y'] },
        doc: { M: { n: { N: '0.1000000000000000000000000000000000001' } } },
        note: { S: 'comma, and "quotes"' },
      });
      assert.deepEqual(await get('b'), { pk: { S: 'b' }, total: { N: '-1500' }, active: { BOOL: false }, score: { S: '7' }, doc: { L: [{ N: '1' }] }, note: { S: 'plain' } });
    } finally {
      client.destroy();
      await lens.close();
    }
  });

  it('refuses a fixture item DynamoDB would refuse', async () => {
    const seed = file('bad-seed.json', JSON.stringify({ 'plain-create-table': [{ nokey: { S: 'x' } }] }));
    await assert.rejects(startDynamoLens({ tables: CREATE_TABLE_JSON, seed }), {
      message: `${seed}: seeding plain-create-table (items 1-1): The provided key element does not match the schema`,
    });
  });
});

