// test/users.test.mjs: run with `node --test`
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoLens } from 'dynamo-lens';

let lens;
let client;
before(async () => {
  lens = await startDynamoLens({ tables: 'template.yaml', seed: 'seed.json' });
  client = lens.client();
  await lens.snapshot('seeded');
});
beforeEach(() => lens.restore('seeded')); // every test starts from the seeded tables
after(async () => {
  client.destroy();
  await lens.close();
});

test('renames a user', async () => {
  await client.send(new PutItemCommand({ TableName: 'local-users', Item: { id: { S: 'u1' }, name: { S: 'Ada Lovelace' } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName: 'local-users', Key: { id: { S: 'u1' } } }));
  assert.equal(Item.name.S, 'Ada Lovelace');
});

test('sees the seeded name again', async () => {
  const { Item } = await client.send(new GetItemCommand({ TableName: 'local-users', Key: { id: { S: 'u1' } } }));
  assert.equal(Item.name.S, 'Ada');
});
