import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bodyFromRequest, splitStatements, statementRequests, toParameter } from './partiqlScript.ts';

test('statements split at semicolons outside strings, quoted names and comments', () => {
  const script = `SELECT * FROM "a;b" WHERE x = 'it''s; fine' -- trailing; comment ?
;
/* a block; with ? */ UPDATE "T" SET n = ? WHERE pk = ?;;  ;
DELETE FROM T WHERE pk = '?'`;
  const statements = splitStatements(script);
  assert.deepEqual(
    statements.map((s) => s.text),
    [`SELECT * FROM "a;b" WHERE x = 'it''s; fine' -- trailing; comment ?`, `/* a block; with ? */ UPDATE "T" SET n = ? WHERE pk = ?`, `DELETE FROM T WHERE pk = '?'`],
  );
  assert.deepEqual(statements.map((s) => s.parameters.length), [0, 2, 0]);
  for (const s of statements) assert.equal(script.slice(s.start, s.end), s.text);
  assert.equal(script[statements[1]!.parameters[0]!], '?');
});

test('a comment-only or empty script has no statements; an unterminated string runs to the end', () => {
  assert.deepEqual(splitStatements('  -- nothing here\n ; /* nor here */ ;'), []);
  assert.deepEqual(splitStatements("SELECT * FROM T WHERE a = 'x; ?").map((s) => [s.text, s.parameters.length]), [["SELECT * FROM T WHERE a = 'x; ?", 0]]);
});

test('parameters are typed as attribute values, and refused with a reason', () => {
  assert.deepEqual(toParameter({ type: 'S', value: ' a ' }, 1), { S: ' a ' });
  assert.deepEqual(toParameter({ type: 'N', value: '12.50' }, 1), { N: '12.50' });
  assert.deepEqual(toParameter({ type: 'BOOL', value: 'TRUE' }, 1), { BOOL: true });
  assert.deepEqual(toParameter({ type: 'NULL', value: '' }, 1), { NULL: true });
  assert.deepEqual(toParameter({ type: 'JSON', value: '{"SS": ["a"]}' }, 1), { SS: ['a'] });
  assert.throws(() => toParameter({ type: 'N', value: 'ten' }, 2), /^Error: Parameter 2: The parameter cannot be converted to a numeric value: ten$/);
  assert.throws(() => toParameter({ type: 'N', value: '1'.repeat(39) }, 2), /Attempting to store more than 38 significant digits in a Number/);
  assert.throws(() => toParameter({ type: 'JSON', value: '{"X": 1}' }, 3), /Parameter 3/);
});

test('a request from the history opens as a script and parameters that send the same statements', () => {
  const statements = splitStatements(`UPDATE "T" SET n = ? WHERE pk = ?;\nINSERT INTO "T" VALUE {'pk': ?, 'tags': ?}`);
  const sent = statementRequests(statements, [
    { type: 'N', value: '5' },
    { type: 'S', value: 'a' },
    { type: 'S', value: 'b' },
    { type: 'JSON', value: '{"SS": ["x", "y"]}' },
  ]);
  const body = bodyFromRequest('ExecuteTransaction', { TransactStatements: sent });
  assert.equal(body.mode, 'ExecuteTransaction');
  assert.deepEqual(statementRequests(splitStatements(body.script), body.parameters), sent);
  const single = bodyFromRequest('ExecuteStatement', { Statement: 'SELECT * FROM "T" WHERE pk = ?', Parameters: [{ BOOL: true }], Limit: 4 });
  assert.deepEqual([single.mode, single.limit, single.parameters], ['ExecuteStatement', '4', [{ type: 'BOOL', value: 'true' }]]);
});
