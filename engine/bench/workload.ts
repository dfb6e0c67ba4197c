/**
 * What the bench asks of each server: its tables, the items it loads first, and the request
 * bodies each case sends. Every server gets exactly the same data and the same requests.
 */

export type Item = Record<string, Record<string, unknown>>;

/** The seeded items each read case finds; write cases walk their own key ranges. */
export const KV_ITEMS = 1000;
export const QUERY_PARTITION_ITEMS = 100;
/** More than one 1 MB page of ~200 B items, so every Scan returns a full page. */
export const SCAN_ITEMS = 7000;
const PUT_KEYS = 5000;
const BATCH_REQUESTS = 200;
export const BATCH_SIZE = 25;

export const TABLES = {
  kv: 'BenchKv',
  query: 'BenchQuery',
  scan: 'BenchScan',
  batch: 'BenchBatch',
  transact: 'BenchTransact',
} as const;

/** An attribute value padded so the item's JSON is `bytes` long (DynamoDB's own size is a little smaller). */
function padTo(item: Item, bytes: number): Item {
  const missing = bytes - JSON.stringify(item).length - '"payload":{"S":""},'.length;
  return { ...item, payload: { S: 'x'.repeat(Math.max(0, missing)) } };
}

/** A ~1 KB item of mixed types: string key, number counter, string set, nested map. */
export function kilobyteItem(key: string): Item {
  return padTo(
    {
      pk: { S: key },
      c: { N: '0' },
      name: { S: `customer ${key}` },
      tags: { SS: ['blue', 'green', 'red'] },
      profile: { M: { city: { S: 'Lisbon' }, zip: { S: '1000-001' }, active: { BOOL: true }, visits: { N: '42' } } },
    },
    1024,
  );
}

/** A ~200 B item for the read-heavy Query and Scan cases. */
export function smallItem(pk: string, sk?: string): Item {
  return padTo({ pk: { S: pk }, ...(sk === undefined ? {} : { sk: { S: sk } }), n: { N: '12345' }, label: { S: 'small item' } }, 200);
}

const pad = (i: number) => String(i).padStart(6, '0');

export function createTableInputs(): Record<string, unknown>[] {
  const hashOnly = (TableName: string) => ({
    TableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
  return [
    hashOnly(TABLES.kv),
    {
      TableName: TABLES.query,
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    },
    hashOnly(TABLES.scan),
    hashOnly(TABLES.batch),
    hashOnly(TABLES.transact),
  ];
}

/** The items loaded before measuring, per table. */
export function seedItems(): [string, Item[]][] {
  const kv = Array.from({ length: KV_ITEMS }, (_, i) => kilobyteItem(`item-${pad(i)}`));
  // Other partitions around the queried one, so Query has to find its range, not take the table.
  const query = [
    ...Array.from({ length: QUERY_PARTITION_ITEMS }, (_, i) => smallItem('q', `sk-${pad(i)}`)),
    ...Array.from({ length: 400 }, (_, i) => smallItem(`other-${i % 4}`, `sk-${pad(i)}`)),
  ];
  const scan = Array.from({ length: SCAN_ITEMS }, (_, i) => smallItem(`scan-${pad(i)}`));
  return [
    [TABLES.kv, kv],
    [TABLES.query, query],
    [TABLES.scan, scan],
  ];
}

export interface BenchCase {
  id: string;
  operation: string;
  bodies: string[];
  /** Items each successful request moves, or 'count' to read it from the response. */
  itemsPerRequest: number | 'count';
  /** See LoadSpec.uniquePlaceholder. */
  uniquePlaceholder?: string;
}

/** Replaced by the load generator with a fresh token in every request (ClientRequestToken is 1-36 characters). */
export const TOKEN_PLACEHOLDER = '@'.repeat(36);

function transactWriteBodies(withToken: boolean): string[] {
  return Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      TransactItems: [
        { Put: { TableName: TABLES.transact, Item: kilobyteItem(`tx-${pad(2 * i)}`) } },
        {
          Update: {
            TableName: TABLES.transact,
            Key: { pk: { S: `tx-counter-${i % 100}` } },
            UpdateExpression: 'ADD #c :one',
            ExpressionAttributeNames: { '#c': 'c' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
          },
        },
      ],
      ...(withToken ? { ClientRequestToken: TOKEN_PLACEHOLDER } : {}),
    }),
  );
}

export function cases(): Record<string, BenchCase> {
  const json = (value: unknown) => JSON.stringify(value);
  const kvKey = (i: number) => ({ pk: { S: `item-${pad(i % KV_ITEMS)}` } });
  return {
    GetItem: {
      id: 'GetItem',
      operation: 'GetItem',
      bodies: Array.from({ length: KV_ITEMS }, (_, i) => json({ TableName: TABLES.kv, Key: kvKey(i) })),
      itemsPerRequest: 1,
    },
    PutItem: {
      id: 'PutItem',
      operation: 'PutItem',
      bodies: Array.from({ length: PUT_KEYS }, (_, i) => json({ TableName: TABLES.kv, Item: kilobyteItem(`put-${pad(i)}`) })),
      itemsPerRequest: 1,
    },
    UpdateItem: {
      id: 'UpdateItem',
      operation: 'UpdateItem',
      bodies: Array.from({ length: KV_ITEMS }, (_, i) =>
        json({
          TableName: TABLES.kv,
          Key: kvKey(i),
          UpdateExpression: 'SET #c = #c + :one',
          ExpressionAttributeNames: { '#c': 'c' },
          ExpressionAttributeValues: { ':one': { N: '1' } },
        }),
      ),
      itemsPerRequest: 1,
    },
    Query: {
      id: 'Query',
      operation: 'Query',
      bodies: [
        json({
          TableName: TABLES.query,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'q' } },
        }),
      ],
      itemsPerRequest: 'count',
    },
    Scan: {
      id: 'Scan',
      operation: 'Scan',
      bodies: [json({ TableName: TABLES.scan })],
      itemsPerRequest: 'count',
    },
    BatchWriteItem: {
      id: 'BatchWriteItem',
      operation: 'BatchWriteItem',
      bodies: Array.from({ length: BATCH_REQUESTS }, (_, r) =>
        json({
          RequestItems: {
            [TABLES.batch]: Array.from({ length: BATCH_SIZE }, (_, i) => ({
              PutRequest: { Item: kilobyteItem(`batch-${pad(r * BATCH_SIZE + i)}`) },
            })),
          },
        }),
      ),
      itemsPerRequest: BATCH_SIZE,
    },
    TransactWriteItems: {
      id: 'TransactWriteItems',
      operation: 'TransactWriteItems',
      bodies: transactWriteBodies(false),
      itemsPerRequest: 2,
    },
    /** As the AWS SDKs send it: every call with its own ClientRequestToken. */
    TransactWriteItemsWithToken: {
      id: 'TransactWriteItemsWithToken',
      operation: 'TransactWriteItems',
      bodies: transactWriteBodies(true),
      itemsPerRequest: 2,
      uniquePlaceholder: TOKEN_PLACEHOLDER,
    },
  };
}

/** One DynamoDB call over HTTP for set-up (not timed); throws with the service's error text. */
export async function call(url: string, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${operation}`,
      'X-Amz-Date': '20240101T000000Z',
      Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc',
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${operation} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Creates the tables, waits until they are ACTIVE and loads the seed items with BatchWriteItem. */
export async function prepare(url: string): Promise<void> {
  for (const input of createTableInputs()) await call(url, 'CreateTable', input);
  for (const input of createTableInputs()) {
    for (let attempt = 0; ; attempt++) {
      const out = (await call(url, 'DescribeTable', { TableName: input.TableName })) as { Table: { TableStatus: string } };
      if (out.Table.TableStatus === 'ACTIVE') break;
      if (attempt > 200) throw new Error(`${String(input.TableName)} never became ACTIVE`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  for (const [table, items] of seedItems()) {
    for (let i = 0; i < items.length; i += BATCH_SIZE) {
      let pending: unknown = { [table]: items.slice(i, i + BATCH_SIZE).map((Item) => ({ PutRequest: { Item } })) };
      while (pending && Object.keys(pending as object).length > 0) {
        const out = (await call(url, 'BatchWriteItem', { RequestItems: pending })) as { UnprocessedItems?: unknown };
        pending = out.UnprocessedItems;
      }
    }
  }
}
