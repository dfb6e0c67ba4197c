/**
 * PartiQL through the real AWS SDK v3 against the real engine and HTTP endpoint. Error texts are
 * DynamoDB's (see engine/partiql/errors.ts for where each comes from).
 */
import {
  BatchExecuteStatementCommand,
  CreateTableCommand,
  ExecuteStatementCommand,
  ExecuteTransactionCommand,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { errorOf, startHarness, type Harness } from '../testing/harness.ts';

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

describe('PartiQL through the AWS SDK', () => {
  let h: Harness;
  const statement = (Statement: string, extra: Record<string, unknown> = {}) => h.client.send(new ExecuteStatementCommand({ Statement, ...extra }));
  const rejection = (Statement: string, extra: Record<string, unknown> = {}) => errorOf(() => statement(Statement, extra));
  const getItem = async (TableName: string, Key: Record<string, AttributeValue>) => (await h.client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item;

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
    await h.client.send(
      new CreateTableCommand({
        TableName: 'Counters',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    for (let i = 0; i < 12; i++) {
      await h.client.send(
        new PutItemCommand({
          TableName: 'Music',
          Item: {
            Artist: { S: i < 8 ? 'Acme Band' : 'Other' },
            SongTitle: { S: `Song ${String(i).padStart(2, '0')}` },
            Genre: { S: i % 2 === 0 ? 'Rock' : 'Jazz' },
            Year: { N: String(2000 + i) },
            Info: { M: { Tags: { L: [{ S: 'a' }, { S: `t${i}` }] }, Label: { S: `label ${i}` } } },
          },
        }),
      );
    }
  });
  after(() => h.close());

  describe('SELECT', () => {
    test('a partition-key equality with a sort-key condition and a filter, as a Query', async () => {
      const result = await statement(`SELECT SongTitle, "Year" FROM "Music" WHERE Artist = 'Acme Band' AND SongTitle >= 'Song 03' AND "Year" < 2006`);
      assert.deepEqual(result.Items, [
        { SongTitle: { S: 'Song 03' }, Year: { N: '2003' } },
        { SongTitle: { S: 'Song 04' }, Year: { N: '2004' } },
        { SongTitle: { S: 'Song 05' }, Year: { N: '2005' } },
      ]);
      assert.equal(result.NextToken, undefined);
    });

    test('begins_with on the sort key, ORDER BY DESC, and parameters of each kind', async () => {
      const result = await statement(`SELECT SongTitle FROM Music WHERE Artist = ? AND begins_with(SongTitle, ?) ORDER BY SongTitle DESC`, {
        Parameters: [{ S: 'Acme Band' }, { S: 'Song 0' }],
      });
      assert.deepEqual(
        result.Items!.map((item) => item.SongTitle.S),
        ['Song 07', 'Song 06', 'Song 05', 'Song 04', 'Song 03', 'Song 02', 'Song 01', 'Song 00'],
      );
    });

    test('a scan with a filter when the partition key is not pinned', async () => {
      const result = await statement(`SELECT * FROM "Music" WHERE Genre = 'Jazz' AND "Year" BETWEEN 2003 AND 2009 AND Info.Label IS NOT MISSING`);
      assert.deepEqual(result.Items!.map((item) => item.SongTitle.S).sort(), ['Song 03', 'Song 05', 'Song 07', 'Song 09']);
      const none = await statement(`SELECT * FROM "Music" WHERE Nope IS NOT MISSING OR contains(Info.Tags, 'zzz')`);
      assert.deepEqual(none.Items, []);
      const all = await statement(`SELECT * FROM "Music"`);
      assert.equal(all.Items!.length, 12);
    });

    test('a condition function compared with a boolean is that condition or its negation', async () => {
      const titles = async (text: string, Parameters?: AttributeValue[]) =>
        (await statement(text, Parameters ? { Parameters } : {})).Items!.map((item) => item.SongTitle.S).sort();
      assert.deepEqual(await titles(`SELECT SongTitle FROM "Music" WHERE Artist = 'Other' AND attribute_exists(Info.Label) = true`), ['Song 08', 'Song 09', 'Song 10', 'Song 11']);
      assert.deepEqual(await titles(`SELECT SongTitle FROM "Music" WHERE Artist = 'Other' AND attribute_exists(Nope) = true`), []);
      assert.deepEqual(await titles(`SELECT SongTitle FROM "Music" WHERE Artist = 'Other' AND false = attribute_not_exists(Nope)`), []);
      assert.deepEqual(await titles(`SELECT SongTitle FROM "Music" WHERE Artist = 'Other' AND begins_with(Genre, 'R') <> ?`, [{ BOOL: false }]), ['Song 08', 'Song 10']);
      assert.deepEqual(await titles(`SELECT SongTitle FROM "Music" WHERE Artist = 'Other' AND contains(Info.Tags, 't9') = false`), ['Song 08', 'Song 10', 'Song 11']);
    });

    test('nested paths come back under their last name', async () => {
      const result = await statement(`SELECT Info.Label, Info.Tags[1] FROM "Music" WHERE Artist = 'Other' AND SongTitle = 'Song 09'`);
      assert.deepEqual(result.Items, [{ Label: { S: 'label 9' }, 'Tags[1]': { S: 't9' } }]);
    });

    test('a global secondary index named as "table"."index"', async () => {
      const result = await statement(`SELECT SongTitle FROM "Music"."byGenre" WHERE Genre = 'Rock' AND Artist = 'Other'`);
      assert.deepEqual(result.Items!.map((item) => item.SongTitle.S).sort(), ['Song 08', 'Song 10']);
    });

    test('paging with Limit and NextToken visits every item once', async () => {
      const seen: string[] = [];
      let NextToken: string | undefined;
      let pages = 0;
      do {
        const page = await statement(`SELECT SongTitle FROM "Music" WHERE Artist = ?`, { Parameters: [{ S: 'Acme Band' }], Limit: 3, NextToken });
        seen.push(...page.Items!.map((item) => item.SongTitle.S!));
        NextToken = page.NextToken;
        pages++;
      } while (NextToken);
      assert.equal(seen.length, 8);
      assert.equal(new Set(seen).size, 8);
      assert.ok(pages >= 3);
    });

    test('a NextToken is refused for another statement, and when it is not a token', async () => {
      const page = await statement(`SELECT * FROM "Music"`, { Limit: 2 });
      assert.ok(page.NextToken);
      const other = await rejection(`SELECT * FROM "Music" WHERE Genre = 'Rock'`, { NextToken: page.NextToken });
      assert.equal(other.name, 'ValidationException');
      assert.equal(other.message, 'NextToken does not match request');
      const junk = await rejection(`SELECT * FROM "Music"`, { NextToken: 'not-a-token' });
      assert.equal(junk.message, 'Invalid NextToken');
    });

    test('ordering comparisons refuse operands whose type has no order', async () => {
      const incorrect = (op: string, type: string) => `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${type}`;
      for (const op of ['<', '<=', '>', '>=']) {
        const error = await rejection(`SELECT * FROM "Music" WHERE Artist = 'Other' AND "Year" ${op} ?`, { Parameters: [{ BOOL: true }] });
        assert.equal(error.name, 'ValidationException');
        assert.equal(error.message, incorrect(op, 'BOOL'));
      }
      const unordered: [AttributeValue, string][] = [
        [{ NULL: true }, 'NULL'],
        [{ L: [{ S: 'a' }] }, 'L'],
        [{ M: { a: { S: 'b' } } }, 'M'],
        [{ SS: ['a'] }, 'SS'],
        [{ NS: ['1'] }, 'NS'],
        [{ BS: [Uint8Array.from([1])] }, 'BS'],
      ];
      for (const [value, type] of unordered) {
        assert.equal((await rejection(`SELECT * FROM "Music" WHERE "Year" < ?`, { Parameters: [value] })).message, incorrect('<', type));
      }
      assert.equal((await rejection(`SELECT * FROM "Music" WHERE "Year" BETWEEN true AND false`)).message, incorrect('BETWEEN', 'BOOL'));
      // On the sort key (a Query's key condition) and in a write's condition alike.
      assert.equal((await rejection(`SELECT * FROM "Music" WHERE Artist = 'Other' AND SongTitle >= [1]`)).message, incorrect('>=', 'L'));
      assert.equal((await rejection(`UPDATE "Counters" SET v = 1 WHERE id = 1 AND v > {'a': 1}`)).message, incorrect('>', 'M'));
      // Equality takes any type, and the rule is about the operand alone: a string against a number is fine.
      assert.deepEqual((await statement(`SELECT * FROM "Music" WHERE "Year" = ? OR "Year" <> ?`, { Parameters: [{ BOOL: true }, { NULL: true }] })).Items!.length, 12);
      assert.deepEqual((await statement(`SELECT * FROM "Music" WHERE SongTitle < 5`)).Items, []);
    });

    test('index, table and parameter errors', async () => {
      const noIndex = await rejection(`SELECT * FROM "Music"."nope" WHERE Genre = 'Rock'`);
      assert.equal(noIndex.name, 'ValidationException');
      assert.equal(noIndex.message, 'The table does not have the specified index');
      const consistent = await rejection(`SELECT * FROM "Music"."byGenre" WHERE Genre = 'Rock'`, { ConsistentRead: true });
      assert.equal(consistent.message, 'Strongly consistent read is not supported on Global Secondary Indexes');
      const noTable = await rejection(`SELECT * FROM "Missing" WHERE pk = 'p'`);
      assert.equal(noTable.name, 'ResourceNotFoundException');
      assert.equal(noTable.message, 'Requested resource not found');
      const tooFew = await rejection(`SELECT * FROM "Music" WHERE Artist = ? AND SongTitle = ?`, { Parameters: [{ S: 'Acme Band' }] });
      assert.equal(tooFew.message, "Number of parameters in request and statement don't match.");
      const duplicate = await rejection(`SELECT a.z, b.z FROM "Music"`);
      assert.equal(duplicate.message, 'Duplicate identifiers in select clause: z');
    });
  });

  describe('index-qualified reads', () => {
    before(async () => {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'Indexed',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
            { AttributeName: 'cat', AttributeType: 'S' },
            { AttributeName: 'rank', AttributeType: 'N' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            { IndexName: 'byCat', KeySchema: [{ AttributeName: 'cat', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['label'] } },
          ],
          LocalSecondaryIndexes: [
            {
              IndexName: 'byRank',
              KeySchema: [
                { AttributeName: 'pk', KeyType: 'HASH' },
                { AttributeName: 'rank', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          ],
        }),
      );
      await statement(`INSERT INTO Indexed VALUE {'pk': 'p', 'sk': 's1', 'cat': 'c', 'rank': 1, 'label': 'one', 'secret': 'x', 'other': 'y'}`);
    });

    test('a GSI read returns and filters only what the index projects', async () => {
      const ok = await statement(`SELECT sk, label FROM "Indexed"."byCat" WHERE cat = 'c' AND label = 'one'`);
      assert.deepEqual(ok.Items, [{ sk: { S: 's1' }, label: { S: 'one' } }]);
      const filter = await rejection(`SELECT pk FROM "Indexed"."byCat" WHERE cat = 'c' AND secret = 'x' AND (other = 'y' OR label = 'one')`);
      assert.equal(filter.name, 'ValidationException');
      assert.equal(filter.message, 'One or more parameter values were invalid: Secondary index byCat does not project one or more filter attributes: [secret, other]');
      const select = await rejection(`SELECT secret, label, other FROM "Indexed"."byCat" WHERE cat = 'c'`);
      assert.equal(select.message, 'One or more parameter values were invalid: Global secondary index byCat does not project [secret, other]');
      // The scan path too.
      assert.equal((await rejection(`SELECT other FROM "Indexed"."byCat"`)).message, 'One or more parameter values were invalid: Global secondary index byCat does not project [other]');
    });

    test('an LSI read reaches the base item for its SELECT list, not for its filter', async () => {
      const reached = await statement(`SELECT secret FROM "Indexed"."byRank" WHERE pk = 'p' AND rank = 1`);
      assert.deepEqual(reached.Items, [{ secret: { S: 'x' } }]);
      assert.deepEqual((await statement(`SELECT secret, rank FROM "Indexed"."byRank"`)).Items, [{ secret: { S: 'x' }, rank: { N: '1' } }]);
      const filter = await rejection(`SELECT pk FROM "Indexed"."byRank" WHERE pk = 'p' AND secret = 'x'`);
      assert.equal(filter.message, 'One or more parameter values were invalid: Secondary index byRank does not project one or more filter attributes: [secret]');
    });

    test('a GSI keyed on several HASH or RANGE attributes is refused ahead of the WHERE checks; the rest of the table reads', async () => {
      await h.client.send(
        new CreateTableCommand({
          TableName: 'MultiKey',
          AttributeDefinitions: ['id', 'g', 'h1', 'h2', 'r1'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: [
            { IndexName: 'single', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
            {
              IndexName: 'multi',
              KeySchema: [
                { AttributeName: 'h1', KeyType: 'HASH' },
                { AttributeName: 'h2', KeyType: 'HASH' },
                { AttributeName: 'r1', KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
        }),
      );
      await statement(`INSERT INTO MultiKey VALUE {'id': 'i1', 'g': 'g1', 'h1': 'a', 'h2': 'x', 'r1': 'm'}`);
      const refused = 'PartiQL statements cannot be executed on tables with multi-attribute HASH keys or multi-attribute RANGE keys.';
      for (const text of [
        `SELECT * FROM "MultiKey"."multi" WHERE h1 = 'a' AND h2 = 'x'`,
        `SELECT id FROM "MultiKey"."multi" WHERE h1 = 'a' AND h2 = 'x' ORDER BY r1 DESC`,
        `SELECT * FROM "MultiKey"."multi" WHERE h1 = 5`,
        `SELECT * FROM "MultiKey"."multi"`,
      ]) {
        const error = await rejection(text);
        assert.equal(error.name, 'ValidationException', text);
        assert.equal(error.message, refused, text);
      }
      assert.equal((await rejection(`SELECT * FROM "MultiKey"."multi" WHERE`)).message, NOT_WELL_FORMED + 'Unexpected term');
      assert.equal((await statement(`SELECT * FROM "MultiKey".single WHERE g = 'g1'`)).Items!.length, 1);
      assert.equal((await statement(`SELECT * FROM "MultiKey" WHERE id = 'i1'`)).Items!.length, 1);
      const batch = await h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SELECT * FROM "MultiKey"."single" WHERE g = 'g1'` },
            { Statement: `SELECT * FROM "MultiKey"."multi" WHERE h1 = 'a' AND h2 = 'x' AND r1 = 'm'` },
            { Statement: `SELECT id FROM "MultiKey" WHERE id = 'i1'` },
          ],
        }),
      );
      assert.deepEqual(batch.Responses, [
        { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
        { Error: { Code: 'ValidationError', Message: refused } },
        { TableName: 'MultiKey', Item: { id: { S: 'i1' } } },
      ]);
    });

    test('writes cannot name an index', async () => {
      for (const text of [
        `INSERT INTO "Indexed"."byCat" VALUE {'pk': 'q', 'sk': 's'}`,
        `UPDATE "Indexed"."byCat" SET label = 'z' WHERE pk = 'p' AND sk = 's1'`,
        `DELETE FROM "Indexed"."byRank" WHERE pk = 'p' AND sk = 's1'`,
      ]) {
        const error = await rejection(text);
        assert.equal(error.name, 'ValidationException', text);
        assert.equal(error.message, 'This operation is not supported on an index', text);
      }
    });
  });

  describe('INSERT', () => {
    test('writes a new item with literals of every kind', async () => {
      await statement(
        `INSERT INTO "Music" VALUE {'Artist': 'New', 'SongTitle': 'First', 'n': -1.50, 'b': true, 'z': NULL, 'l': [1, 'x'], 's': <<'a', 'b'>>, 'ns': <<3, 1>>, 'm': {'k': ?}}`,
        { Parameters: [{ BOOL: false }] },
      );
      const item = await getItem('Music', { Artist: { S: 'New' }, SongTitle: { S: 'First' } });
      assert.deepEqual(item?.n, { N: '-1.5' });
      assert.deepEqual(item?.b, { BOOL: true });
      assert.deepEqual(item?.z, { NULL: true });
      assert.deepEqual(item?.l, { L: [{ N: '1' }, { S: 'x' }] });
      assert.deepEqual(new Set(item?.s.SS), new Set(['a', 'b']));
      assert.deepEqual(new Set(item?.ns.NS), new Set(['1', '3']));
      assert.deepEqual(item?.m, { M: { k: { BOOL: false } } });
    });

    test('an existing key fails with DuplicateItemException and leaves the item alone', async () => {
      const error = await rejection(`INSERT INTO "Music" VALUE {'Artist': 'New', 'SongTitle': 'First', 'n': 2}`);
      assert.equal(error.name, 'DuplicateItemException');
      assert.equal(error.message, 'Duplicate primary key exists in table');
      assert.deepEqual((await getItem('Music', { Artist: { S: 'New' }, SongTitle: { S: 'First' } }))?.n, { N: '-1.5' });
    });

    test('key attributes are required and typed, numbers are checked', async () => {
      assert.equal((await rejection(`INSERT INTO "Music" VALUE {'Artist': 'New'}`)).message, 'Key attribute should be present in the item: Key SongTitle');
      assert.equal(
        (await rejection(`INSERT INTO "Music" VALUE {'Artist': 1, 'SongTitle': 'x'}`)).message,
        "Key attribute's data type should match its data type in table's schema: Key Artist",
      );
      assert.equal(
        (await rejection(`INSERT INTO "Counters" VALUE {'id': 1, 'm': {'x': 1e126}}`)).message,
        'Number overflow. Attempting to store a number with magnitude larger than supported range under root.x',
      );
      assert.equal(
        (await rejection(`INSERT INTO "Counters" VALUE {'id': 1, 'l': [1, 1e-131]}`)).message,
        'Number underflow. Attempting to store a number with magnitude smaller than supported range under root[1]',
      );
      assert.equal(
        (await rejection(`INSERT INTO "Counters" VALUES {'id': 1}`)).message,
        'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead',
      );
    });
  });

  describe('UPDATE', () => {
    test('SET with arithmetic and REMOVE, returning the new item', async () => {
      await statement(`INSERT INTO Counters VALUE {'id': 1, 'hits': 5, 'tag': 'x', 'vals': [1]}`);
      const result = await statement(`UPDATE Counters SET hits = hits + 2, vals = list_append(vals, [2]) REMOVE tag WHERE id = 1 RETURNING ALL NEW *`);
      assert.deepEqual(result.Items, [{ id: { N: '1' }, hits: { N: '7' }, vals: { L: [{ N: '1' }, { N: '2' }] } }]);
      const plain = await statement(`UPDATE Counters SET note = 'n' WHERE id = 1`);
      assert.deepEqual(plain.Items, []);
    });

    test('set_add and set_delete', async () => {
      await statement(`INSERT INTO Counters VALUE {'id': 2, 'tags': <<'a'>>}`);
      await statement(`UPDATE Counters SET tags = set_add(tags, <<'b', 'c'>>) WHERE id = 2`);
      await statement(`UPDATE Counters SET tags = set_delete(tags, <<'a'>>) WHERE id = 2`);
      assert.deepEqual(new Set((await getItem('Counters', { id: { N: '2' } }))?.tags.SS), new Set(['b', 'c']));
    });

    test('a missing item fails the condition and is not created', async () => {
      const error = await rejection(`UPDATE Counters SET hits = 1 WHERE id = 404`);
      assert.equal(error.name, 'ConditionalCheckFailedException');
      assert.equal(await getItem('Counters', { id: { N: '404' } }), undefined);
    });

    test('an extra condition guards the write, and can return the old item', async () => {
      const error = await rejection(`UPDATE Counters SET hits = 0 WHERE id = 1 AND hits > 100`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      assert.equal(error.name, 'ConditionalCheckFailedException');
      assert.deepEqual((error as { Item?: Record<string, AttributeValue> }).Item?.hits, { N: '7' });
      await statement(`UPDATE Counters SET hits = 0 WHERE id = 1 AND hits = 7`);
      assert.deepEqual((await getItem('Counters', { id: { N: '1' } }))?.hits, { N: '0' });
    });

    test('the FROM-first form: FROM "T" WHERE <key> SET/REMOVE, with conditions, parameters and RETURNING', async () => {
      await statement(`INSERT INTO Counters VALUE {'id': 40, 'a': 1, 'b': 'bee'}`);
      await statement(`FROM "Counters" WHERE id = 40 SET c = 1`);
      await statement(`from Counters where id = ? and a = 1 set d = ? remove b`, { Parameters: [{ N: '40' }, { N: '7' }] });
      const returned = await statement(`FROM "Counters" WHERE id = 40 REMOVE d SET e = 3 RETURNING ALL NEW *`);
      assert.deepEqual(returned.Items, [{ id: { N: '40' }, a: { N: '1' }, c: { N: '1' }, e: { N: '3' } }]);
      assert.equal((await rejection(`FROM "Counters" WHERE id = 40 AND a = 2 SET c = 5`)).name, 'ConditionalCheckFailedException');
      assert.equal((await rejection(`FROM "Counters" WHERE id = 404 SET c = 1`)).name, 'ConditionalCheckFailedException');
      assert.equal(await getItem('Counters', { id: { N: '404' } }), undefined);
      const incomplete = 'Where clause does not contain a mandatory equality on all key attributes';
      assert.equal((await rejection(`FROM "Counters" SET c = 1`)).message, incomplete);
      assert.equal((await rejection(`FROM "Counters" REMOVE a`)).message, incomplete);
      assert.equal((await rejection(`FROM "Counters" WHERE a = 1 SET c = 1`)).message, incomplete);
      assert.equal((await rejection(`FROM "Counters" SET c = 1 WHERE id = 40`)).message, NOT_WELL_FORMED + 'Unexpected token after expression');
      assert.equal((await rejection(`FROM "Nowhere" WHERE id = 40 SET c = 1`)).name, 'ResourceNotFoundException');
      await h.client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `FROM Counters WHERE id = 40 SET f = 1` }] }));
      const batch = await h.client.send(new BatchExecuteStatementCommand({ Statements: [{ Statement: `FROM Counters WHERE id = 40 SET g = 1` }] }));
      assert.deepEqual(batch.Responses, [{ TableName: 'Counters' }]);
      const item = await getItem('Counters', { id: { N: '40' } });
      assert.deepEqual([item?.f, item?.g], [{ N: '1' }, { N: '1' }]);
    });

    test('the whole key is required in WHERE', async () => {
      for (const text of [`UPDATE "Music" SET x = 1 WHERE Artist = 'Acme Band'`, `UPDATE "Music" SET x = 1`, `UPDATE "Music" SET x = 1 WHERE Genre = 'Rock'`]) {
        const error = await rejection(text);
        assert.equal(error.name, 'ValidationException', text);
        assert.equal(error.message, 'Where clause does not contain a mandatory equality on all key attributes', text);
      }
    });
  });

  describe('DELETE', () => {
    test('deletes by key, returns the old item when asked, and ignores a missing item', async () => {
      await statement(`INSERT INTO Counters VALUE {'id': 10, 'v': 'gone'}`);
      const result = await statement(`DELETE FROM Counters WHERE id = ? RETURNING ALL OLD *`, { Parameters: [{ N: '10' }] });
      assert.deepEqual(result.Items, [{ id: { N: '10' }, v: { S: 'gone' } }]);
      assert.equal(await getItem('Counters', { id: { N: '10' } }), undefined);
      assert.deepEqual((await statement(`DELETE FROM Counters WHERE id = 10`)).Items, []);
    });

    test('an extra condition that fails keeps the item', async () => {
      await statement(`INSERT INTO Counters VALUE {'id': 11, 'v': 'kept'}`);
      const error = await rejection(`DELETE FROM Counters WHERE id = 11 AND v = 'other'`);
      assert.equal(error.name, 'ConditionalCheckFailedException');
      assert.ok(await getItem('Counters', { id: { N: '11' } }));
      assert.equal((await rejection(`DELETE FROM "Music" WHERE Artist = 'x'`)).message, 'Where clause does not contain a mandatory equality on all key attributes');
    });
  });

  describe('number parameters', () => {
    const UNCONVERTIBLE = 'The parameter cannot be converted to a numeric value';
    const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
    const NEST = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';
    const positions = [
      `SELECT * FROM "Music" WHERE Artist = 'Other' AND n = ?`,
      `INSERT INTO "Counters" VALUE {'id': 50, 'n': ?}`,
      `UPDATE "Counters" SET n = ? WHERE id = 1`,
      `SELECT * FROM "Counters" WHERE id = ?`,
    ];
    const deep = (depth: number, leaf: AttributeValue = { S: 'leaf' }): AttributeValue => {
      let value = leaf;
      for (let i = 0; i < depth; i++) value = { M: { n: value } };
      return value;
    };

    test('an exponent or scale outside a 32-bit integer cannot be converted; 1e2147483647 wraps to an underflow', async () => {
      for (const text of positions) {
        for (const value of ['1e99999999999', '-1e99999999999', '1e-99999999999', '1e2147483648', '1e-2147483648']) {
          const error = await rejection(text, { Parameters: [{ N: value }] });
          assert.equal(error.name, 'ValidationException', `${text} ${value}`);
          assert.equal(error.message, `${UNCONVERTIBLE}: ${value}`, `${text} ${value}`);
        }
        assert.equal((await rejection(text, { Parameters: [{ N: '1e2147483647' }] })).message, UNDERFLOW, text);
        assert.equal((await rejection(text, { Parameters: [{ N: '' }] })).message, UNCONVERTIBLE, text);
      }
      for (const value of [{ L: [{ N: '1' }, { N: '1e99999999999' }] }, { M: { x: { N: '1e99999999999' } } }, { NS: ['1', '1e99999999999'] }]) {
        assert.equal((await rejection(positions[0], { Parameters: [value] })).message, `${UNCONVERTIBLE}: 1e99999999999`);
      }
      // Numbers in range keep the ordinary checks.
      assert.equal((await rejection(positions[0], { Parameters: [{ N: '1e126' }] })).message, 'Number overflow. Attempting to store a number with magnitude larger than supported range');
      assert.equal((await statement(positions[0], { Parameters: [{ N: '1.5e3' }] })).Items!.length, 0);
    });

    test('the first problem in document order is reported, nesting or number', async () => {
      const pair = `SELECT * FROM "Music" WHERE Artist = 'Other' AND x = ? AND y = ?`;
      const single = `SELECT * FROM "Music" WHERE Artist = 'Other' AND x = ?`;
      assert.equal((await rejection(pair, { Parameters: [deep(40), { N: '1e99999999999' }] })).message, NEST);
      assert.equal((await rejection(pair, { Parameters: [{ N: '1e99999999999' }, deep(40)] })).message, `${UNCONVERTIBLE}: 1e99999999999`);
      assert.equal((await rejection(single, { Parameters: [{ M: { d: deep(40), bad: { N: '1e2147483648' } } }] })).message, NEST);
      assert.equal((await rejection(single, { Parameters: [{ M: { bad: { N: 'abc' }, d: deep(40, { N: '1e2147483648' }) } }] })).message, `${UNCONVERTIBLE}: abc`);
      assert.equal((await rejection(single, { Parameters: [deep(40, { N: '1e2147483648' })] })).message, NEST);
    });

    test('in a transaction the message names no statement; in a batch it fails its own statement', async () => {
      const error = await errorOf(() =>
        h.client.send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: positions[2], Parameters: [{ N: '1e99999999999' }] }] })),
      );
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, `${UNCONVERTIBLE}: 1e99999999999`);
      const batch = await h.client.send(
        new BatchExecuteStatementCommand({ Statements: [{ Statement: `SELECT * FROM "Counters" WHERE id = 1 AND n = ?`, Parameters: [{ N: '1e99999999999' }] }] }),
      );
      assert.deepEqual(batch.Responses, [{ Error: { Code: 'ValidationError', Message: `${UNCONVERTIBLE}: 1e99999999999` } }]);
    });
  });

  describe('request validation and syntax errors', () => {
    test('member constraints give "N validation errors detected"', async () => {
      const empty = await rejection('');
      assert.equal(empty.name, 'ValidationException');
      assert.equal(empty.message, "1 validation error detected: Value '' at 'statement' failed to satisfy constraint: Member must have length greater than or equal to 1");
      const limit = await rejection(`SELECT * FROM "Music"`, { Limit: 0 });
      assert.equal(limit.message, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
      const capacity = await rejection(`SELECT * FROM "Music"`, { ReturnConsumedCapacity: 'ALL', Parameters: [] });
      assert.equal(
        capacity.message,
        "2 validation errors detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
          "Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]",
      );
    });

    test('a statement longer than 8192 characters, e.g. 10,000 nested brackets, is refused quickly', { timeout: 10_000 }, async () => {
      const error = await rejection(`SELECT * FROM "Music" WHERE a = ${'['.repeat(10_000)}`);
      assert.equal(error.name, 'ValidationException');
      assert.match(error.message, /^1 validation error detected: Value '.*' at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192$/s);
      const nested = await rejection(`SELECT * FROM "Music" WHERE a = ${'['.repeat(4_000)}`);
      assert.match(nested.message, /^Statement wasn't well formed, can't be processed: /);
    });

    test('function errors name the function and give its position as line:column:length', async () => {
      const at = (text: string, token: string, length = token.length, from = 0) => `1:${text.indexOf(token, from) + 1}:${length}`;
      const where = (condition: string) => `SELECT * FROM "Counters" WHERE id = 1 AND ${condition}`;
      const update = (set: string) => `UPDATE "Counters" SET ${set} WHERE id = 1`;
      const expect = async (text: string, message: string, Parameters?: AttributeValue[]) => {
        const error = await rejection(text, Parameters ? { Parameters } : {});
        assert.equal(error.name, 'ValidationException', text);
        assert.equal(error.message, message, text);
      };
      let text = where('EXISTS(tags)');
      await expect(text, `Unrecognized function: exists at ${at(text, 'EXISTS')}`);
      text = where(`set_add(tags, <<'x'>>) = tags`);
      await expect(text, `Unrecognized function: set_add at ${at(text, 'set_add')}`);
      // Lines count from 1 and columns restart on each line.
      await expect(`SELECT *\nFROM "Counters"\n  WHERE id = 1 AND foo(a)`, 'Unrecognized function: foo at 3:20:3');
      await expect(where(`attribute_exists('tags')`), 'Operator or function requires a document path; operator or function: attribute_exists');
      await expect(where('attribute_not_exists(?)'), 'Operator or function requires a document path; operator or function: attribute_not_exists', [{ S: 'tags' }]);
      await expect(where('attribute_exists()'), 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 0');
      await expect(where('attribute_exists(tags, v)'), 'Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2');
      text = update(`t = set_add(tags, <<'x'>>)`);
      await expect(text, `The first argument to SET_ADD must equal the assignment value at ${at(text, 'set_add')}`);
      text = update(`tags = set_add(<<'a'>>, <<'b'>>)`);
      await expect(text, `The first argument to SET_ADD must equal the assignment value at ${at(text, 'set_add')}`);
      text = update(`tags = set_add(tags, 'x')`);
      await expect(text, `The second argument to SET_ADD must be a value with type SET at ${at(text, 'tags', 4, text.indexOf('set_add('))}`);
      text = update(`tags = set_delete(tags, ['x'])`);
      await expect(text, `The second argument to SET_DELETE must be a value with type SET at ${at(text, 'tags', 4, text.indexOf('set_delete('))}`);
      text = update(`tags = set_add(tags)`);
      await expect(text, `SET_ADD must have exactly two arguments at ${at(text, 'set_add')}`);
      text = `INSERT INTO "Counters" VALUE {'id': 60, 'tags': set_add(<<'a'>>, <<'b'>>)}`;
      await expect(text, `Unsupported data type: set_add under key root at ${at(text, 'set_add')}`);
      text = update(`tags = SET_DELETE(tags, <<'x'>>, <<'y'>>)`);
      await expect(text, `SET_DELETE must have exactly two arguments at ${at(text, 'SET_DELETE')}`);
    });

    test('syntax errors carry DynamoDB details', async () => {
      assert.equal((await rejection(`SELECT * FROM "Music" WHERE Artist = 'a' foo`)).message, NOT_WELL_FORMED + 'Unexpected token after expression');
      assert.equal((await rejection(`SELECT * FROM "Music" WHERE`)).message, NOT_WELL_FORMED + 'Unexpected term');
      assert.equal((await rejection(`SELECT * FROM "Music" t`)).message, 'Aliasing is not supported');
      assert.equal((await rejection(`EXISTS(SELECT * FROM "Music" WHERE Artist = 'a')`)).message, 'EXISTS can only be used in ExecuteTransaction write requests.');
    });
  });

  describe('BatchExecuteStatement', () => {
    test('writes, then reads by full key, with an error per failed statement', async () => {
      const writes = await h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `INSERT INTO Counters VALUE {'id': 20, 'v': 'a'}` },
            { Statement: `INSERT INTO Counters VALUE {'id': ?, 'v': 'b'}`, Parameters: [{ N: '21' }] },
            { Statement: `INSERT INTO Counters VALUE {'id': 20, 'v': 'dup'}` },
            { Statement: `UPDATE Counters SET v = 'c' WHERE id = 404` },
            { Statement: `SELEC oops` },
          ],
        }),
      );
      assert.deepEqual(writes.Responses, [
        { TableName: 'Counters' },
        { TableName: 'Counters' },
        { TableName: 'Counters', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
        { TableName: 'Counters', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } },
        { Error: { Code: 'ValidationError', Message: NOT_WELL_FORMED + 'Expected data manipulation' } },
      ]);
      // A failed condition returns no item on a batch member, whatever the member asks for.
      const guarded = await h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [{ Statement: `UPDATE Counters SET v = 'd' WHERE id = 20 AND v = 'zzz'`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }],
        }),
      );
      assert.deepEqual(guarded.Responses, [{ TableName: 'Counters', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } }]);
      const reads = await h.client.send(
        new BatchExecuteStatementCommand({
          Statements: [
            { Statement: `SELECT v FROM Counters WHERE id = 21` },
            { Statement: `SELECT * FROM Counters WHERE id = 999` },
            { Statement: `SELECT * FROM Counters WHERE v = 'a'` },
            { Statement: `SELECT * FROM "Music"."byGenre" WHERE Artist = 'Other' AND SongTitle = 'Song 08' AND Genre = 'Rock'` },
          ],
        }),
      );
      // Statements refused before they ran carry no TableName.
      const keyRequired = { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' };
      assert.deepEqual(reads.Responses, [{ TableName: 'Counters', Item: { v: { S: 'b' } } }, { TableName: 'Counters' }, { Error: keyRequired }, { Error: keyRequired }]);
    });

    test('reads and writes cannot share a batch', async () => {
      const error = await errorOf(() =>
        h.client.send(
          new BatchExecuteStatementCommand({
            Statements: [{ Statement: `SELECT * FROM Counters WHERE id = 20` }, { Statement: `DELETE FROM Counters WHERE id = 20` }],
          }),
        ),
      );
      assert.equal(error.name, 'ValidationException');
      assert.equal(error.message, 'Read and write requests together in the same batch is not supported.');
    });
  });

  describe('ExecuteTransaction', () => {
    test('writes all or nothing', async () => {
      const written = await h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [
            { Statement: `INSERT INTO Counters VALUE {'id': 30, 'v': 1}` },
            { Statement: `UPDATE Counters SET v = 'x' WHERE id = 21` },
            { Statement: `EXISTS(SELECT * FROM Counters WHERE id = 20 AND v = 'a')` },
          ],
        }),
      );
      assert.deepEqual(written.Responses, []);
      assert.deepEqual((await getItem('Counters', { id: { N: '21' } }))?.v, { S: 'x' });
      const error = await errorOf(() =>
        h.client.send(
          new ExecuteTransactionCommand({
            TransactStatements: [
              { Statement: `INSERT INTO Counters VALUE {'id': 31, 'v': 1}` },
              { Statement: `INSERT INTO Counters VALUE {'id': 30, 'v': 2}` },
            ],
          }),
        ),
      );
      assert.equal(error.name, 'TransactionCanceledException');
      assert.equal(error.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem]');
      assert.deepEqual((error as { CancellationReasons?: unknown }).CancellationReasons, [
        { Code: 'None' },
        { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' },
      ]);
      assert.equal(await getItem('Counters', { id: { N: '31' } }), undefined);
    });

    test('reads by full key', async () => {
      const result = await h.client.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `SELECT v FROM Counters WHERE id = 30` }, { Statement: `SELECT * FROM Counters WHERE id = 999` }],
        }),
      );
      assert.deepEqual(result.Responses, [{ Item: { v: { N: '1' } } }, {}]);
    });

    test('validation errors name the statement', async () => {
      const send = (statements: string[]) =>
        errorOf(() => h.client.send(new ExecuteTransactionCommand({ TransactStatements: statements.map((Statement) => ({ Statement })) })));
      assert.equal(
        (await send([`SELECT * FROM Counters WHERE id = 1`, `DELETE FROM Counters WHERE id = 1`])).message,
        'ExecuteTransaction API does not support both read and write operations in the same request.',
      );
      assert.equal((await send([`SELECT * FROM "Music" WHERE`])).message, `Validation failed in TransactStatements[0]: ${NOT_WELL_FORMED}Unexpected term`);
      assert.equal(
        (await send([`UPDATE Counters SET v = 1 WHERE id = 1 RETURNING ALL NEW *`])).message,
        'Validation failed in TransactStatements[0]: RETURNING clause is not supported in ExecuteTransaction.',
      );
      assert.equal(
        (await send([`SELECT * FROM "Music"."byGenre" WHERE Genre = 'Rock'`])).message,
        'Validation failed in TransactStatements[0]: Reads on indices are not supported within transactions.',
      );
      assert.equal(
        (await send([`SELECT * FROM "Music" WHERE Artist = 'Acme Band'`])).message,
        'Validation failed in TransactStatements[0]: Select statements within ExecuteTransaction must specify the primary key in the where clause.',
      );
    });
  });
});
