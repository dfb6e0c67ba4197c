/**
 * Large request bodies are judged by the preflight worker before the engine sees them: the
 * answers must be exactly the engine's, through the real endpoint and the AWS SDK.
 */
import { BatchWriteItemCommand, CreateTableCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PREFLIGHT_MIN_BYTES } from './preflight.ts';
import { errorOf, startHarness, type Harness } from './testing/harness.ts';

/** POSTs a raw body to the endpoint as the SDK would sign it; returns status and parsed answer. */
async function post(url: string, operation: string, body: string): Promise<{ status: number; answer: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      'X-Amz-Date': '20240101T000000Z',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    },
    body,
  });
  return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
}

const bigList = (elements: number) => ({ L: Array.from({ length: elements }, () => ({ N: '1' })) });

describe('large request bodies (judged off the event loop first)', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Big',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  });
  after(() => h.close());

  test('an item over 400 KB in a 16 MB body is refused in the engine’s words', async () => {
    const error = await errorOf(() => h.client.send(new PutItemCommand({ TableName: 'Big', Item: { pk: { S: 'a' }, list: bigList(1_500_000) } })));
    assert.equal(error.name, 'ValidationException');
    assert.equal(error.message, 'Item size has exceeded the maximum allowed size');
  });

  test('unused expression attribute names by the thousand are refused as the engine refuses them', async () => {
    const names = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`#name${i}`, `attribute${i}`]));
    const input = { TableName: 'Big', Item: { pk: { S: 'b' } }, ConditionExpression: 'attribute_not_exists(#name0)', ExpressionAttributeNames: names };
    assert.ok(JSON.stringify(input).length >= PREFLIGHT_MIN_BYTES, 'the body is large enough to be judged first');
    const overHttp = await errorOf(() => h.client.send(new PutItemCommand(input)));
    const inProcess = await errorOf(() => h.engine.handle('PutItem', input, { region: 'us-east-1', accountId: '000000000000' }));
    assert.equal(overHttp.name, 'ValidationException');
    assert.equal(overHttp.message, inProcess.message);
    assert.match(overHttp.message, /^1 validation error detected: Value provided in ExpressionAttributeNames unused in expressions: keys: \{#name1, /);
  });

  test('a valid large batch is written; a missing table is the real engine’s answer', async () => {
    const padding = 'x'.repeat(60 * 1024);
    const RequestItems = { Big: Array.from({ length: 20 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `item-${i}` }, padding: { S: padding } } } })) };
    assert.ok(JSON.stringify({ RequestItems }).length >= PREFLIGHT_MIN_BYTES);
    const written = await h.client.send(new BatchWriteItemCommand({ RequestItems }));
    assert.deepEqual(written.UnprocessedItems, {});
    const { Item } = await h.client.send(new GetItemCommand({ TableName: 'Big', Key: { pk: { S: 'item-19' } }, ConsistentRead: true }));
    assert.equal(Item?.padding?.S, padding);

    const missing = await errorOf(() => h.client.send(new BatchWriteItemCommand({ RequestItems: { Nowhere: RequestItems.Big } })));
    assert.equal(missing.name, 'ResourceNotFoundException');
  });

  test('a large body that is not JSON, or not an object, gets the endpoint’s SerializationException', async () => {
    const filler = 'x'.repeat(PREFLIGHT_MIN_BYTES);
    const broken = await post(h.endpoint.url, 'PutItem', `{"TableName":"Big","Item":{"pk":{"S":"${filler}"}`);
    assert.deepEqual(broken, { status: 400, answer: { __type: 'com.amazon.coral.service#SerializationException' } });
    const list = await post(h.endpoint.url, 'PutItem', JSON.stringify([filler]));
    assert.deepEqual(list, { status: 400, answer: { __type: 'com.amazon.coral.service#SerializationException', Message: 'Start of list found where not expected' } });
    const unknown = await post(h.endpoint.url, 'NoSuchOperation', JSON.stringify({ filler }));
    assert.equal(unknown.answer.__type, 'com.amazon.coral.service#UnknownOperationException');
  });
});
