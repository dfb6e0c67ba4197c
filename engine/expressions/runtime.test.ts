import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue, Item } from '../types.ts';
import { applyUpdate, compileExpressions, evaluateCondition, projectItem, resolveKeyCondition, updatedPaths, updatedTopLevelAttributes } from './index.ts';

function matches(expression: string, item: Item | undefined, values: Record<string, AttributeValue> = {}, names?: Record<string, string>): boolean {
  const { condition } = compileExpressions({
    ConditionExpression: expression,
    ExpressionAttributeValues: Object.keys(values).length ? values : undefined,
    ExpressionAttributeNames: names,
  });
  return evaluateCondition(condition!, item);
}

function update(expression: string, item: Item, values?: Record<string, AttributeValue>, names?: Record<string, string>): Item {
  const { update: compiled } = compileExpressions({ UpdateExpression: expression, ExpressionAttributeValues: values, ExpressionAttributeNames: names });
  return applyUpdate(compiled!, item);
}

function throwsValidation(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.equal((e as Error).name, 'ValidationException');
    assert.equal((e as Error).message, message);
    return true;
  });
}

const item: Item = {
  s: { S: 'hello' },
  n: { N: '10' },
  b: { B: Buffer.from('abc').toString('base64') },
  ss: { SS: ['a', 'b'] },
  ns: { NS: ['1', '2.5'] },
  l: { L: [{ S: 'x' }, { N: '1' }, { M: { k: { S: 'v' } } }] },
  m: { M: { nest: { M: { deep: { N: '3' } } }, 'dot.ted': { S: 'd' } } },
  t: { BOOL: true },
  z: { NULL: true },
};

describe('evaluating comparisons', () => {
  it('compares numbers by value, strings and binaries by bytes', () => {
    assert.equal(matches('n = :v', item, { ':v': { N: '10.0' } }), true);
    assert.equal(matches('n < :v', item, { ':v': { N: '9.99' } }), false);
    assert.equal(matches('n >= :v', item, { ':v': { N: '1E1' } }), true);
    assert.equal(matches('s > :v', item, { ':v': { S: 'hell' } }), true);
    assert.equal(matches('s <= :v', item, { ':v': { S: 'Hello' } }), false);
    assert.equal(matches('b < :v', item, { ':v': { B: Buffer.from('abd').toString('base64') } }), true);
  });

  it('treats different types as unequal, never as an error', () => {
    assert.equal(matches('n = :v', item, { ':v': { S: '10' } }), false);
    assert.equal(matches('n <> :v', item, { ':v': { S: '10' } }), true);
    assert.equal(matches('n < :v', item, { ':v': { S: '10' } }), false);
    assert.equal(matches('t > :v', item, { ':v': { BOOL: false } }), false);
  });

  it('makes comparisons with an absent attribute false, except <>', () => {
    assert.equal(matches('absent = :v', item, { ':v': { S: 'x' } }), false);
    assert.equal(matches('absent < :v', item, { ':v': { S: 'x' } }), false);
    assert.equal(matches('absent <> :v', item, { ':v': { S: 'x' } }), true);
    assert.equal(matches('absent <> :v', undefined, { ':v': { S: 'x' } }), true);
  });

  it('compares sets regardless of order, lists and maps deeply', () => {
    assert.equal(matches('ss = :v', item, { ':v': { SS: ['b', 'a'] } }), true);
    assert.equal(matches('ns = :v', item, { ':v': { NS: ['2.50', '1'] } }), true);
    assert.equal(matches('l[2] = :v', item, { ':v': { M: { k: { S: 'v' } } } }), true);
  });

  it('evaluates BETWEEN and IN', () => {
    assert.equal(matches('n BETWEEN :a AND :b', item, { ':a': { N: '10' }, ':b': { N: '11' } }), true);
    assert.equal(matches('n BETWEEN :a AND :b', item, { ':a': { N: '11' }, ':b': { N: '12' } }), false);
    assert.equal(matches('s BETWEEN :a AND :b', item, { ':a': { N: '1' }, ':b': { N: '2' } }), false);
    assert.equal(matches('n IN (:a, :b)', item, { ':a': { S: '10' }, ':b': { N: '10' } }), true);
    assert.equal(matches('absent IN (:a)', item, { ':a': { S: '10' } }), false);
  });

  it('follows nested paths, list indexes and dotted names behind #placeholders', () => {
    assert.equal(matches('m.nest.deep = :v', item, { ':v': { N: '3' } }), true);
    assert.equal(matches('#m.#d = :v', item, { ':v': { S: 'd' } }, { '#m': 'm', '#d': 'dot.ted' }), true);
    assert.equal(matches('l[0] = :v', item, { ':v': { S: 'x' } }), true);
    assert.equal(matches('l[9] = :v', item, { ':v': { S: 'x' } }), false);
    assert.equal(matches('s[0] = :v', item, { ':v': { S: 'h' } }), false);
    assert.equal(matches('l.x = :v', item, { ':v': { S: 'x' } }), false);
  });
});

describe('evaluating logic and functions', () => {
  it('binds NOT tighter than AND, and AND tighter than OR', () => {
    const values = { ':t': { BOOL: true }, ':f': { BOOL: false } };
    // true OR (false AND false)
    assert.equal(matches('t = :t OR t = :f AND t = :f', item, values), true);
    // (NOT true) AND true
    assert.equal(matches('NOT t = :t AND t = :t', item, { ':t': values[':t'] }), false);
    assert.equal(matches('NOT (t = :t AND t = :f)', item, values), true);
    assert.equal(matches('(t = :t OR t = :f) AND t = :f', item, values), false);
  });

  it('attribute_exists and attribute_not_exists, with no item at all', () => {
    assert.equal(matches('attribute_exists(m.nest)', item), true);
    assert.equal(matches('attribute_not_exists(m.nope)', item), true);
    assert.equal(matches('attribute_exists(z)', item), true);
    assert.equal(matches('attribute_not_exists(pk)', undefined), true);
    assert.equal(matches('attribute_exists(pk)', undefined), false);
  });

  it('attribute_type, with an unknown type name failing at evaluation', () => {
    assert.equal(matches('attribute_type(ns, :t)', item, { ':t': { S: 'NS' } }), true);
    assert.equal(matches('attribute_type(ns, :t)', item, { ':t': { S: 'SS' } }), false);
    assert.equal(matches('attribute_type(absent, :t)', item, { ':t': { S: 'S' } }), false);
    throwsValidation(
      () => matches('attribute_type(n, :t)', item, { ':t': { S: 'X' } }),
      'Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }',
    );
    const { filter } = compileExpressions({ FilterExpression: 'attribute_type(n, :t)', ExpressionAttributeValues: { ':t': { S: 'string' } } });
    throwsValidation(() => evaluateCondition(filter!, item), 'Invalid FilterExpression: Invalid attribute type name found; type: string, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }');
  });

  it('begins_with on strings and binaries only', () => {
    assert.equal(matches('begins_with(s, :p)', item, { ':p': { S: 'he' } }), true);
    assert.equal(matches('begins_with(s, :p)', item, { ':p': { S: 'lo' } }), false);
    assert.equal(matches('begins_with(b, :p)', item, { ':p': { B: Buffer.from('ab').toString('base64') } }), true);
    assert.equal(matches('begins_with(ss, :p)', item, { ':p': { S: 'a' } }), false);
  });

  it('contains: substrings, set members, list elements', () => {
    assert.equal(matches('contains(s, :v)', item, { ':v': { S: 'ell' } }), true);
    assert.equal(matches('contains(ss, :v)', item, { ':v': { S: 'b' } }), true);
    assert.equal(matches('contains(ss, :v)', item, { ':v': { S: 'c' } }), false);
    assert.equal(matches('contains(ns, :v)', item, { ':v': { N: '2.50' } }), true);
    assert.equal(matches('contains(ns, :v)', item, { ':v': { S: '1' } }), false);
    assert.equal(matches('contains(l, :v)', item, { ':v': { N: '1.0' } }), true);
    assert.equal(matches('contains(l, :v)', item, { ':v': { M: { k: { S: 'v' } } } }), true);
    assert.equal(matches('contains(b, :v)', item, { ':v': { B: Buffer.from('bc').toString('base64') } }), true);
    assert.equal(matches('contains(n, :v)', item, { ':v': { N: '1' } }), false);
  });

  it('size: UTF-16 length of strings, bytes of binaries, element counts', () => {
    const values = (n: number) => ({ ':v': { N: String(n) } });
    assert.equal(matches('size(s) = :v', item, values(5)), true);
    // Real DynamoDB counts UTF-16 code units: size("é𝄞") is 3.
    assert.equal(matches('size(u) = :v', { u: { S: 'é𝄞' } }, values(3)), true);
    assert.equal(matches('size(b) = :v', item, values(3)), true);
    assert.equal(matches('size(ss) = :v', item, values(2)), true);
    assert.equal(matches('size(l) = :v', item, values(3)), true);
    assert.equal(matches('size(m) = :v', item, values(2)), true);
    assert.equal(matches('size(n) = :v', item, values(2)), false);
    assert.equal(matches('size(absent) < :v', item, values(2)), false);
  });
});

describe('applying updates', () => {
  it('does not touch the original item', () => {
    const original: Item = { a: { M: { b: { N: '1' } } } };
    const next = update('SET a.b = :v', original, { ':v': { N: '2' } });
    assert.deepEqual(original, { a: { M: { b: { N: '1' } } } });
    assert.deepEqual(next, { a: { M: { b: { N: '2' } } } });
  });

  it('leaves the original intact through nested REMOVE, ADD and DELETE and copied attributes', () => {
    const snapshot = (): Item => ({
      l: { L: [{ S: 'x' }, { S: 'y' }, { S: 'z' }] },
      m: { M: { tags: { SS: ['a', 'b'] }, n: { N: '1' }, deep: { M: { k: { S: 'v' } } } } },
      top: { N: '5' },
    });
    const original = snapshot();
    const next = update('SET dup = m, m.deep.k = :w ADD m.n :one, top :one REMOVE l[0], l[2] DELETE m.tags :a', original, {
      ':w': { S: 'w' },
      ':one': { N: '1' },
      ':a': { SS: ['a'] },
    });
    assert.deepEqual(original, snapshot());
    assert.deepEqual(next, {
      l: { L: [{ S: 'y' }] },
      m: { M: { tags: { SS: ['b'] }, n: { N: '2' }, deep: { M: { k: { S: 'w' } } } } },
      top: { N: '6' },
      dup: snapshot().m,
    });
    // The copy is the map as it was, not an alias that later edits of `m` would reach.
    (next.m as { M: Item }).M.n = { N: '99' };
    assert.deepEqual(next.dup, snapshot().m);
  });

  it('SET with arithmetic, if_not_exists and list_append', () => {
    const next = update(
      'SET n = n + :one, neg = :one - n, c = if_not_exists(c, :zero) + :one, s2 = if_not_exists(s, :zero), l = list_append(:pre, l)',
      item,
      { ':one': { N: '1' }, ':zero': { N: '0' }, ':pre': { L: [{ S: 'first' }] } },
    );
    assert.deepEqual(next.n, { N: '11' });
    assert.deepEqual(next.neg, { N: '-9' });
    assert.deepEqual(next.c, { N: '1' });
    assert.deepEqual(next.s2, { S: 'hello' });
    assert.deepEqual(next.l, { L: [{ S: 'first' }, ...(item.l as { L: AttributeValue[] }).L] });
  });

  it('adds and subtracts exactly on both sides of the small-integer fast path', () => {
    const sum = (a: string, b: string, op = '+') =>
      (update(`SET r = :a ${op} :b`, { k: { S: 'x' } }, { ':a': { N: a }, ':b': { N: b } }).r as { N: string }).N;
    assert.equal(sum('999999999999999', '999999999999999'), '1999999999999998');
    assert.equal(sum('-5', '5'), '0');
    assert.equal(sum('0', '0', '-'), '0');
    assert.equal(sum('9999999999999999', '1'), '10000000000000000');
    assert.equal(sum('99999999999999999999999999999999999999', '1', '-'), '99999999999999999999999999999999999998');
    assert.equal(sum('0.1', '0.2'), '0.3');
    assert.equal(sum('1E+3', '1'), '1001');
  });

  it('computes every SET value from the item as it was', () => {
    assert.deepEqual(update('SET a = b, b = a', { a: { S: '1' }, b: { S: '2' } }), { a: { S: '2' }, b: { S: '1' } });
  });

  it('reports DynamoDB runtime errors', () => {
    throwsValidation(() => update('SET a = absent', {}), 'The provided expression refers to an attribute that does not exist in the item');
    throwsValidation(() => update('SET a = s + :one', item, { ':one': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
    throwsValidation(() => update('SET a = list_append(s, :l)', item, { ':l': { L: [] } }), 'An operand in the update expression has an incorrect data type');
    throwsValidation(() => update('SET nope.x = :one', item, { ':one': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
    throwsValidation(() => update('SET s.x = :one', item, { ':one': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
    throwsValidation(() => update('SET m[0] = :one', item, { ':one': { N: '1' } }), 'The document path provided in the update expression is invalid for update');
    throwsValidation(() => update('ADD s :one', item, { ':one': { N: '1' } }), 'An operand in the update expression has an incorrect data type');
    throwsValidation(() => update('DELETE ss :d', item, { ':d': { NS: ['1'] } }), 'An operand in the update expression has an incorrect data type');
    throwsValidation(
      () => update('SET n = :big + :big', item, { ':big': { N: '9.9999999999999999999999999999999999999E+125' } }),
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
    throwsValidation(
      () => update('ADD n :v', { n: { N: '1' } }, { ':v': { N: '1E-38' } }),
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('SET past the end of a list appends', () => {
    const next = update('SET l[10] = :v, l[1] = :w', { l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] } }, { ':v': { S: 'z' }, ':w': { S: 'B' } });
    assert.deepEqual(next.l, { L: [{ S: 'a' }, { S: 'B' }, { S: 'c' }, { S: 'z' }] });
  });

  it('REMOVE shifts list elements, indexes referring to the original list', () => {
    const list: Item = { l: { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }, { S: 'd' }] }, m: { M: { x: { S: '1' }, y: { S: '2' } } } };
    assert.deepEqual(update('REMOVE l[1]', list).l, { L: [{ S: 'a' }, { S: 'c' }, { S: 'd' }] });
    assert.deepEqual(update('REMOVE l[0], l[2]', list).l, { L: [{ S: 'b' }, { S: 'd' }] });
    assert.deepEqual(update('REMOVE l[7], absent, m.x', list), { l: list.l, m: { M: { y: { S: '2' } } } });
  });

  it('ADD numbers and sets, creating the attribute when absent', () => {
    const next = update('ADD n :one, fresh :one, ss :s, newset :s, ns :ns', item, { ':one': { N: '1' }, ':s': { SS: ['b', 'c'] }, ':ns': { NS: ['2.50', '3'] } });
    assert.deepEqual(next.n, { N: '11' });
    assert.deepEqual(next.fresh, { N: '1' });
    assert.deepEqual(next.ss, { SS: ['a', 'b', 'c'] });
    assert.deepEqual(next.newset, { SS: ['b', 'c'] });
    assert.deepEqual(next.ns, { NS: ['1', '2.5', '3'] });
  });

  it('DELETE from sets; an emptied set disappears; an absent attribute is fine', () => {
    const next = update('DELETE ss :a, ns :n, absent :a', item, { ':a': { SS: ['a', 'zz'] }, ':n': { NS: ['1', '2.5'] } });
    assert.deepEqual(next.ss, { SS: ['b'] });
    assert.equal('ns' in next, false);
    assert.equal('absent' in next, false);
  });

  it('lists the attributes and paths it touches', () => {
    const { update: compiled } = compileExpressions({ UpdateExpression: 'SET a.b = :v, c = :v REMOVE a.d, e[1] ADD f :n', ExpressionAttributeValues: { ':v': { S: 'x' }, ':n': { N: '1' } } });
    assert.deepEqual(updatedTopLevelAttributes(compiled!), ['a', 'c', 'e', 'f']);
    assert.deepEqual(updatedPaths(compiled!), [['a', 'b'], ['c'], ['a', 'd'], ['e', 1], ['f']]);
  });
});

describe('projections', () => {
  it('keeps nested keys and list elements in index order', () => {
    const { projection } = compileExpressions({ ProjectionExpression: 'l[2].k, l[0], m.nest.deep, #s, absent, n[0]', ExpressionAttributeNames: { '#s': 's' } });
    assert.deepEqual(projectItem(item, projection!), {
      l: { L: [{ S: 'x' }, { M: { k: { S: 'v' } } }] },
      m: { M: { nest: { M: { deep: { N: '3' } } } } },
      s: { S: 'hello' },
    });
  });
});

describe('key conditions', () => {
  const schema = { hashKey: 'pk', rangeKey: 'sk', attributeTypes: { pk: 'S', sk: 'N' } as Record<string, 'S' | 'N' | 'B'> };
  function key(expression: string, values: Record<string, AttributeValue>, s: Parameters<typeof resolveKeyCondition>[1] = schema) {
    const { keyCondition } = compileExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: Object.keys(values).length ? values : undefined });
    return resolveKeyCondition(keyCondition!, s);
  }
  const p = { S: 'p' };

  it('resolves the partition value and a sort condition, either way round', () => {
    assert.deepEqual(key('pk = :p', { ':p': p }), { partitionValue: p, partitionKey: { pk: p } });
    assert.deepEqual(key(':n > sk AND pk = :p', { ':p': p, ':n': { N: '5' } }), {
      partitionValue: p,
      partitionKey: { pk: p },
      sort: { op: '<', values: [{ N: '5' }] },
    });
    assert.deepEqual(key('pk = :p AND sk BETWEEN :a AND :b', { ':p': p, ':a': { N: '1' }, ':b': { N: '2' } }).sort, {
      op: 'BETWEEN',
      values: [{ N: '1' }, { N: '2' }],
    });
  });

  it('checks the shape when compiling', () => {
    const reject = (expression: string, values: Record<string, AttributeValue>, message: string) =>
      throwsValidation(() => compileExpressions({ KeyConditionExpression: expression, ExpressionAttributeValues: Object.keys(values).length ? values : undefined }), message);
    reject('pk = :p OR sk = :n', { ':p': p, ':n': { N: '1' } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: OR');
    reject('pk = :p AND contains(sk, :n)', { ':p': p, ':n': { N: '1' } }, 'Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: contains');
    reject('pk = :p AND sk > :a AND sk < :b', { ':p': p, ':a': { N: '1' }, ':b': { N: '5' } }, 'Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key');
    reject('pk.x = :p', { ':p': p }, 'Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes');
    reject('pk = sk', {}, 'Invalid KeyConditionExpression: Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    reject('size(pk) = :n', { ':n': { N: '1' } }, 'Invalid KeyConditionExpression: KeyConditionExpressions cannot contain nested operations');
    reject(
      'pk = :p AND begins_with(sk, :v)',
      { ':p': p, ':v': { BOOL: true } },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: BOOL',
    );
    reject('pk = :p AND :v >= sk', { ':p': p, ':v': { BOOL: true } }, 'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL');
    reject(
      'pk = :p AND sk BETWEEN :a AND :b',
      { ':p': p, ':a': { BOOL: false }, ':b': { BOOL: true } },
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL',
    );
    reject(
      'pk = :absent AND begins_with(sk, :n)',
      { ':n': { N: '1' } },
      'Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :absent',
    );
  });

  it('checks against the key schema', () => {
    throwsValidation(() => key('sk = :n', { ':n': { N: '1' } }), 'Query condition missed key schema element: pk');
    throwsValidation(() => key('pk = :p AND extra = :n', { ':p': p, ':n': { N: '1' } }), 'Query condition missed key schema element: sk');
    throwsValidation(() => key('pk > :p', { ':p': p }), 'Query key condition not supported');
    throwsValidation(() => key('pk = :p AND sk = :v', { ':p': p, ':v': { S: 'x' } }), 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    throwsValidation(() => key('pk = :p AND begins_with(sk, :v)', { ':p': p, ':v': { S: 'x' } }), 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    throwsValidation(() => key('pk = :p AND sk = :v', { ':p': p, ':v': { BOOL: true } }), 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    throwsValidation(
      () => key('pk = :p AND sk > :a AND extra = :b', { ':p': p, ':a': { N: '1' }, ':b': { N: '5' } }),
      'The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)',
    );
    throwsValidation(
      () => key('pk = :p AND flag = :s', { ':p': p, ':s': p }, { hashKey: 'pk', attributeTypes: { pk: 'S' } }),
      'Query key condition not supported',
    );
  });

  it('supports multi-attribute GSI keys', () => {
    const multi = { hashKeys: ['h'], rangeKeys: ['a', 'b', 'c', 'd'], attributeTypes: { h: 'S', a: 'S', b: 'S', c: 'S', d: 'S' } as Record<string, 'S'> };
    const v = (s: string) => ({ S: s });
    const values = { ':h': v('o1'), ':a': v('T'), ':b': v('live'), ':c': v('a'), ':d': v('r') };
    const pick = (expression: string) => Object.fromEntries(Object.entries(values).filter(([k]) => expression.includes(k)));
    const range = (expression: string) => key(expression, pick(expression), multi);
    assert.deepEqual(range('b = :b AND h = :h AND a = :a'), {
      partitionValue: v('o1'),
      partitionKey: { h: v('o1') },
      partitionValues: [v('o1')],
      sortPrefix: [v('T')],
      sortAttribute: 'b',
      sort: { op: '=', values: [v('live')] },
    });
    assert.equal(range('h = :h AND a = :a AND b = :b AND c = :c AND begins_with(d, :d)').sort?.op, 'BEGINS_WITH');
    throwsValidation(
      () => range('h = :h AND a = :a AND c = :c'),
      'RANGE key attributes b must have equality conditions specified in the query because a condition is present on key attribute c',
    );
    throwsValidation(
      () => range('h = :h AND a = :a AND b > :b AND c = :c'),
      'RANGE key attributes b must have equality conditions specified in the query because a condition is present on key attribute c',
    );
    throwsValidation(() => range('h = :h AND b = :b'), 'RANGE key attributes a must have equality conditions specified in the query because a condition is present on key attribute b');
    const twoHash = { hashKeys: ['h1', 'h2'], rangeKeys: [], attributeTypes: { h1: 'S', h2: 'N' } as Record<string, 'S' | 'N'> };
    throwsValidation(() => key('h1 = :h', { ':h': v('x') }, twoHash), 'Query condition missed key schema element: h2');
    assert.deepEqual(key('h2 = :n AND h1 = :h', { ':h': v('x'), ':n': { N: '1' } }, twoHash).partitionKey, { h1: v('x'), h2: { N: '1' } });
  });
});
