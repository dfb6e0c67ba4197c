// users.test.mjs
import { afterAll, beforeEach, expect, test } from '@jest/globals';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { connectDynamoLens } from 'dynamo-lens';

const lens = connectDynamoLens(); // reads DYNAMO_LENS_ENDPOINT
const client = lens.client();
beforeEach(() => lens.restore('seeded'));
afterAll(() => client.destroy());

test('renames a user', async () => {
  await client.send(new PutItemCommand({ TableName: 'local-users', Item: { id: { S: 'u1' }, name: { S: 'Ada Lovelace' } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName: 'local-users', Key: { id: { S: 'u1' } } }));
  expect(Item.name.S).toBe('Ada Lovelace');
});

test('sees the seeded name again', async () => {
  const { Item } = await client.send(new GetItemCommand({ TableName: 'local-users', Key: { id: { S: 'u1' } } }));
  expect(Item.name.S).toBe('Ada');
});
