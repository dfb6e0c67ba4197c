import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStatement } from './parser.ts';

const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

function parse(text: string) {
  return parseStatement(text).statement;
}

/** Asserts `text` fails with a ValidationException carrying exactly `message`. */
function assertRejects(text: string, message: string): void {
  assert.throws(
    () => parseStatement(text),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ValidationException', text);
      assert.equal(error.message, message, text);
      return true;
    },
  );
}

describe('PartiQL parser: accepted statements', () => {
  it('reads SELECT with a projection, an index source, parameters and ORDER BY', () => {
    const parsed = parseStatement(`SELECT a, "b c".d[1], m['k'] FROM "Orders"."byCustomer" WHERE pk = ? AND sk >= ? ORDER BY sk DESC`);
    assert.equal(parsed.parameterCount, 2);
    assert.deepEqual(parsed.statement, {
      kind: 'select',
      source: { table: 'Orders', index: 'byCustomer' },
      projection: [
        { kind: 'path', root: 'a', steps: [] },
        { kind: 'path', root: 'b c', steps: [{ name: 'd' }, { index: 1 }] },
        { kind: 'path', root: 'm', steps: [{ name: 'k' }] },
      ],
      where: {
        kind: 'and',
        left: { kind: 'compare', op: '=', left: { kind: 'path', root: 'pk', steps: [] }, right: { kind: 'parameter', position: 0 } },
        right: { kind: 'compare', op: '>=', left: { kind: 'path', root: 'sk', steps: [] }, right: { kind: 'parameter', position: 1 } },
      },
      orderBy: [{ path: { kind: 'path', root: 'sk', steps: [] }, descending: true }],
    });
  });

  it('reads SELECT * without WHERE, in lower case, with a trailing semicolon and comments', () => {
    assert.deepEqual(parse('select * from Music; -- everything'), { kind: 'select', source: { table: 'Music' } });
    assert.deepEqual(parse('/* all */ SELECT * FROM "Music"'), { kind: 'select', source: { table: 'Music' } });
  });

  it('reads INSERT with every literal kind', () => {
    const statement = parse(`INSERT INTO "Music" VALUE {'Artist': 'It''s', 'n': -1.5e3, 'b': TRUE, 'z': null, 'l': [1, 'x'], 's': <<'a', 'b'>>, 'm': {'k': ?}}`);
    assert.equal(statement.kind, 'insert');
    assert.deepEqual(statement.kind === 'insert' && statement.item, {
      kind: 'tuple',
      entries: [
        { key: { kind: 'string', value: 'Artist' }, value: { kind: 'string', value: "It's" } },
        { key: { kind: 'string', value: 'n' }, value: { kind: 'number', text: '-1.5e3' } },
        { key: { kind: 'string', value: 'b' }, value: { kind: 'boolean', value: true } },
        { key: { kind: 'string', value: 'z' }, value: { kind: 'null' } },
        { key: { kind: 'string', value: 'l' }, value: { kind: 'list', items: [{ kind: 'number', text: '1' }, { kind: 'string', value: 'x' }] } },
        { key: { kind: 'string', value: 's' }, value: { kind: 'bag', items: [{ kind: 'string', value: 'a' }, { kind: 'string', value: 'b' }] } },
        { key: { kind: 'string', value: 'm' }, value: { kind: 'tuple', entries: [{ key: { kind: 'string', value: 'k' }, value: { kind: 'parameter', position: 0 } }] } },
      ],
    });
  });

  it('reads UPDATE with SET, REMOVE, arithmetic and RETURNING', () => {
    assert.deepEqual(parse(`UPDATE "T" SET a = a + 1, b = 'x' REMOVE c, d.e SET f = list_append(f, [1]) WHERE pk = 'p' RETURNING MODIFIED NEW *`), {
      kind: 'update',
      table: 'T',
      actions: [
        { kind: 'set', path: { kind: 'path', root: 'a', steps: [] }, value: { kind: 'arithmetic', op: '+', left: { kind: 'path', root: 'a', steps: [] }, right: { kind: 'number', text: '1' } } },
        { kind: 'set', path: { kind: 'path', root: 'b', steps: [] }, value: { kind: 'string', value: 'x' } },
        { kind: 'remove', path: { kind: 'path', root: 'c', steps: [] } },
        { kind: 'remove', path: { kind: 'path', root: 'd', steps: [{ name: 'e' }] } },
        {
          kind: 'set',
          path: { kind: 'path', root: 'f', steps: [] },
          value: {
            kind: 'call',
            name: 'list_append',
            args: [{ kind: 'path', root: 'f', steps: [] }, { kind: 'list', items: [{ kind: 'number', text: '1' }] }],
            at: '1:57:11',
            argsAt: ['1:69:1', '1:72:1'],
          },
        },
      ],
      where: { kind: 'compare', op: '=', left: { kind: 'path', root: 'pk', steps: [] }, right: { kind: 'string', value: 'p' } },
      returning: 'UPDATED_NEW',
    });
  });

  it('reads DELETE with IS [NOT] MISSING, IN, BETWEEN, NOT and OR with AND binding tighter', () => {
    const statement = parse(`DELETE FROM t WHERE pk = 1 AND a IS NOT MISSING AND b IN [1, 2] OR NOT c BETWEEN 1 AND 5 RETURNING ALL OLD *`);
    assert.equal(statement.kind, 'delete');
    if (statement.kind !== 'delete') return;
    assert.equal(statement.returning, 'ALL_OLD');
    assert.equal(statement.where?.kind, 'or');
    if (statement.where?.kind !== 'or') return;
    assert.equal(statement.where.left.kind, 'and');
    assert.deepEqual(statement.where.right, {
      kind: 'not',
      operand: { kind: 'between', operand: { kind: 'path', root: 'c', steps: [] }, low: { kind: 'number', text: '1' }, high: { kind: 'number', text: '5' } },
    });
  });

  it('reads EXISTS(SELECT ...) as a condition check', () => {
    assert.equal(parse(`EXISTS(SELECT * FROM "T" WHERE pk = 'a' AND v IS MISSING)`).kind, 'exists');
  });

  it('keeps a question mark inside a string as text', () => {
    assert.equal(parseStatement(`SELECT * FROM t WHERE a = '?'`).parameterCount, 0);
  });
});

describe('PartiQL parser: DynamoDB error texts', () => {
  // Texts pinned against real DynamoDB by a public conformance suite.
  const cases: [string, string][] = [
    [`SELECT * FROM "N" WHERE pk = 1 foo`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`SELECT * FROM "N" WHERE pk = 1 e5`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`INSERT INTO "N" VALUE {'pk': 1} foo`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`UPDATE "N" SET a = 9 WHERE pk = 2 foo`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`SELECT * FROM "N" WHERE pk = 1)`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`DELETE FROM "N" WHERE pk = 4 ORDER BY pk`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`SELECT * FROM "N" ORDER BY pk WHERE pk = 1`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`SELECT * FROM "N" WHERE pk = 1e2147483648`, NOT_WELL_FORMED],
    [`SELECT * FROM "N" WHERE pk = 1 # note`, NOT_WELL_FORMED],
    [`SELECT * FROM "N" WHERE pk = 1 /* note`, NOT_WELL_FORMED],
    [`SELECT * FROM "N" WHERE pk = 'open`, NOT_WELL_FORMED],
    [`SELECT * FROM "S" t WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`SELECT * FROM "S" AS t WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`UPDATE "S" t SET a = 3 WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`DELETE FROM "S" t WHERE pk = 'x'`, 'Aliasing is not supported'],
    [`INSERT INTO "S" t VALUE {'pk': 'x'}`, NOT_WELL_FORMED + 'Unexpected token after expression'],
    [`SELECT * FROM "S" WHERE`, NOT_WELL_FORMED + 'Unexpected term'],
    [`SELECT * FROM "S" WHERE;`, NOT_WELL_FORMED + 'Unexpected term'],
    [`UPDATE "S" SET a = 1 WHERE`, NOT_WELL_FORMED + 'Unexpected term'],
    [`DELETE FROM "S" WHERE`, NOT_WELL_FORMED + 'Unexpected term'],
    [`SELECT * FROM "S" WHERE NOT`, NOT_WELL_FORMED + 'Unexpected term'],
    [`SELECT * FROM "S" WHERE (`, NOT_WELL_FORMED + 'Unexpected term'],
    [`SELECT * FROM "S" WHERE pk = 'p1' AND`, NOT_WELL_FORMED + 'Missing right-hand side expression of infix operator'],
    [`SELECT * FROM "S" WHERE pk = 'p1' OR`, NOT_WELL_FORMED + 'Missing right-hand side expression of infix operator'],
    [`SELECT * FROM "S" WHERE ORDER BY pk`, NOT_WELL_FORMED + 'Unexpected keyword'],
    [`SELECT * FROM "S" WHERE pk = 'a' AND x IS FOO`, NOT_WELL_FORMED + 'Expected type name'],
    [`SELECT * FROM "S" WHERE IS NULL`, NOT_WELL_FORMED + 'Unexpected operator'],
    [`SELECT * FROM "S" WHERE pk = LIKE`, NOT_WELL_FORMED + 'Unexpected operator'],
    ['DELETE FROM', NOT_WELL_FORMED + 'Expected identifier for simple path'],
    ['DELETE FROM;', NOT_WELL_FORMED + 'Expected identifier for simple path'],
    [`DELETE FROM WHERE pk = 'a'`, NOT_WELL_FORMED + 'Expected identifier for simple path'],
    ['SELECT * FROM', NOT_WELL_FORMED + 'Unexpected term'],
    [`SELECT * FROM "T"."gsi"."extra" WHERE pk = 'p'`, 'A path may contain at most 2 components in the FROM clause'],
    [`SELECT * FROM "T"."" WHERE pk = 'p'`, 'Path component cannot be an empty string'],
    [`SELECT * FROM "" WHERE pk = 'p'`, 'Path component cannot be an empty string'],
  ];
  for (const [statement, message] of cases) {
    it(`${statement} -> ${message}`, () => assertRejects(statement, message));
  }

  it('refuses reserved words as bare names and accepts them quoted', () => {
    assertRejects(`SELECT * FROM t WHERE pad = 'none'`, NOT_WELL_FORMED + 'Unexpected keyword');
    assert.equal(parse(`SELECT * FROM t WHERE "pad" = 'none'`).kind, 'select');
  });

  it('refuses what DynamoDB does not support, with its wording', () => {
    assertRejects(`INSERT INTO t VALUES {'pk': 1}, {'pk': 2}`, 'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
    assertRejects(`SELECT * FROM t LIMIT 5`, 'Unsupported clause: LIMIT');
    assertRejects(`SELECT *, a FROM t`, "Other attributes should not be present in the projection when '*' is used.");
    assertRejects(`DELETE FROM t WHERE pk = 'x' RETURNING MODIFIED OLD *`, 'Invalid returning clause: RETURNING MODIFIED OLD *. Only RETURNING ALL OLD * is allowed in DELETE statements.');
    assertRejects(`SELECT * FROM t WHERE a IS INT4`, 'Unsupported data type for IS operator: INT4. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]');
    assertRejects(`SLECT * FROM t`, NOT_WELL_FORMED + 'Expected data manipulation');
  });
});

describe('PartiQL parser: hostile input', () => {
  // Hang guards (the runner's timeout), not speed measurements: the bench measures speed.
  it('refuses 10,000 nested brackets quickly, without exhausting the stack', { timeout: 10_000 }, () => {
    for (const [open, close] of [['[', ']'], ['(', ')'], ['{', '}'], ['NOT ', '']] as const) {
      const statement = `SELECT * FROM t WHERE a = ${open.repeat(10_000)}1${close.repeat(10_000)}`;
      assert.throws(() => parseStatement(statement), (error: Error & { code?: string }) => {
        assert.equal(error.code, 'ValidationException');
        assert.match(error.message, /^Statement wasn't well formed, can't be processed: /);
        return true;
      });
    }
  });

  it('parses long flat statements in linear time', { timeout: 10_000 }, () => {
    // Large enough that a quadratic parser would run for minutes; a linear one takes well under a second.
    const terms = Array.from({ length: 200_000 }, (_, i) => `a${i} = ${i}`).join(' AND ');
    const parsed = parseStatement(`SELECT * FROM t WHERE ${terms}`);
    assert.equal(parsed.statement.kind, 'select');
  });

  it('reads unterminated quoted names and strings as malformed, not as a hang', () => {
    assertRejects(`SELECT * FROM "${'x'.repeat(100_000)}`, NOT_WELL_FORMED);
    assertRejects(`SELECT * FROM t WHERE a = '${"''".repeat(50_000)}`, NOT_WELL_FORMED);
  });
});
