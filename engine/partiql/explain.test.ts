/**
 * Explain: the PartiQL planner's own decision (GetItem, Query on a table or index, or Scan) for a
 * statement, on tables created and filled through the real AWS SDK against the real endpoint.
 */
import { CreateTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_ACCOUNT_ID, DEFAULT_REGION } from '../api.ts';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

describe('explainStatement', () => {
  let h: Harness;
  const context = { accountId: DEFAULT_ACCOUNT_ID, region: DEFAULT_REGION };
  const explain = (text: string, parameters: Parameters<Harness['engine']['explainPartiql']>[2] = []) => h.engine.explainPartiql(context, text, parameters);

  before(async () => {
    h = await startHarness();
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Music',
        AttributeDefinitions: [
          { AttributeName: 'Artist', AttributeType: 'S' },
          { AttributeName: 'SongTitle', AttributeType: 'S' },
          { AttributeName: 'Genre', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'Artist', KeyType: 'HASH' },
          { AttributeName: 'SongTitle', KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: [{ IndexName: 'byGenre', KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
    );
    for (let i = 0; i < 7; i++) {
      const Item = { Artist: { S: `a${i % 2}` }, SongTitle: { S: `s${i}` }, ...(i < 3 ? { Genre: { S: 'rock' } } : {}) };
      await h.client.send(new PutItemCommand({ TableName: 'Music', Item }));
    }
  });
  after(() => h.close());

  test('a whole key with equalities is a key lookup of one item', () => {
    const plan = explain(`SELECT * FROM Music WHERE Artist = 'a0' AND SongTitle = 's0'`);
    assert.equal(plan.access, 'GetItem');
    assert.equal(plan.estimatedItemsRead, 1);
    assert.equal(plan.warning, undefined);
  });

  test('a partition-key equality with a sort-key range is a Query on the table', () => {
    const plan = explain(`SELECT * FROM Music WHERE Artist = ? AND begins_with(SongTitle, 's')`);
    assert.equal(plan.access, 'Query');
    assert.equal(plan.indexName, undefined);
    assert.match(String(plan.request?.KeyConditionExpression), /begins_with/);
  });

  test('an equality on an index partition key is a Query on that index', () => {
    const plan = explain(`SELECT * FROM "Music"."byGenre" WHERE Genre = ?`, [{ S: 'rock' }]);
    assert.deepEqual([plan.access, plan.indexName, plan.request?.IndexName], ['Query', 'byGenre', 'byGenre']);
  });

  test('no partition-key equality is a full Scan, warned, with the items it reads', () => {
    const table = explain(`SELECT * FROM Music WHERE SongTitle = 's1'`);
    assert.equal(table.access, 'Scan');
    assert.equal(table.estimatedItemsRead, 7);
    assert.match(table.warning ?? '', /full Scan/);
    const index = explain(`SELECT * FROM "Music"."byGenre"`);
    assert.deepEqual([index.access, index.estimatedItemsRead], ['Scan', 3]);
  });

  test('writes name the operation they become', () => {
    assert.equal(explain(`DELETE FROM Music WHERE Artist = 'a0' AND SongTitle = 's0'`).access, 'DeleteItem');
    assert.equal(explain(`INSERT INTO Music VALUE {'Artist': 'x', 'SongTitle': 'y'}`).access, 'PutItem');
  });

  test('errors are the ones ExecuteStatement gives', async () => {
    const missing = await errorOf(async () => explain(`SELECT * FROM Nope`));
    assert.equal(missing.name, 'ResourceNotFoundException');
    const index = await errorOf(async () => explain(`SELECT * FROM "Music"."nope"`));
    assert.equal(index.name, 'ValidationException');
  });
});
