import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileExpressions, type ExpressionInputs } from './index.ts';

function rejects(input: ExpressionInputs, message: string, options?: Parameters<typeof compileExpressions>[1]): void {
  assert.throws(
    () => compileExpressions(input, options),
    (e: unknown) => {
      assert.equal((e as Error).name, 'ValidationException');
      assert.equal((e as Error).message, message);
      return true;
    },
  );
}

const V = { ':v': { S: 'x' } } as const;

describe('syntax errors', () => {
  // Texts recorded from real DynamoDB (see tokenizer.ts).
  it('names the offending token and its neighbours', () => {
    rejects({ UpdateExpression: 'INVALID SYNTAX HERE' }, 'Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"');
    rejects(
      { UpdateExpression: 'ADD hits : incr', ExpressionAttributeValues: { ':incr': { N: '1' } } },
      'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"',
    );
    rejects({ ProjectionExpression: 'a b' }, 'Invalid ProjectionExpression: Syntax error; token: "b", near: "a b"');
    rejects({ ProjectionExpression: '!!!' }, 'Invalid ProjectionExpression: Syntax error; token: "!", near: "!!"');
    rejects({ ProjectionExpression: 'first-name' }, 'Invalid ProjectionExpression: Syntax error; token: "-", near: "first-name"');
  });

  it('reports the end of input as <EOF>', () => {
    rejects({ ProjectionExpression: 'a,' }, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","');
    rejects({ UpdateExpression: 'SET a = ' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "= "');
    rejects({ UpdateExpression: 'SET' }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
    rejects({ ConditionExpression: 'a' }, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"');
  });

  it('rejects a bare operand where a condition is expected', () => {
    rejects({ ConditionExpression: 'a AND b = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "AND", near: "a AND b"');
    rejects({ ConditionExpression: '(b = :v AND a)', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: ")", near: "a)"');
    rejects({ FilterExpression: 'a = :v = :v', ExpressionAttributeValues: V }, 'Invalid FilterExpression: Syntax error; token: "=", near: ":v = :v"');
  });

  it('rejects literals and keywords in the wrong place', () => {
    rejects({ UpdateExpression: 'SET a = 5' }, 'Invalid UpdateExpression: Syntax error; token: "5", near: "= 5"');
    rejects({ ConditionExpression: 'and = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Syntax error; token: "and", near: "and ="');
    rejects({ UpdateExpression: 'SET a = :v + :v + :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Syntax error; token: "+", near: ":v + :v"');
  });

  it('rejects empty and blank expressions', () => {
    rejects({ UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;');
    rejects({ ProjectionExpression: '  \n' }, 'Invalid ProjectionExpression: The expression can not be empty;');
  });

  it('accepts keywords in any case and free whitespace', () => {
    const compiled = compileExpressions({
      ConditionExpression: 'a = :v and not (b <> :v) Or c BETWEEN :lo AnD :hi and d in (:v,:lo)',
      ExpressionAttributeValues: { ':v': { S: 'x' }, ':lo': { N: '1' }, ':hi': { N: '2' } },
    });
    assert.equal(compiled.condition?.kind, 'or');
  });
});

describe('limits and hostile input', () => {
  it('measures expressions in UTF-8 bytes, 4096 allowed', () => {
    const name = 'a'.repeat(4096 - ' = :v'.length);
    compileExpressions({ ConditionExpression: `${name} = :v`, ExpressionAttributeValues: V });
    rejects(
      { ConditionExpression: `${name}b = :v`, ExpressionAttributeValues: V },
      'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097',
    );
    rejects(
      { ProjectionExpression: 'é'.repeat(2049) },
      'Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098',
    );
  });

  // A hang guard (the runner's timeout), not a speed measurement: the bench measures speed.
  it('fails a 10,000-deep parenthesis nest quickly, without overflowing the stack', { timeout: 10_000 }, () => {
    const deep = '('.repeat(10_000) + 'a = :v' + ')'.repeat(10_000);
    rejects({ ConditionExpression: deep, ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 20006');
    // Within the 4 KB limit the parser's own depth limit applies.
    rejects(
      { ConditionExpression: '('.repeat(2000) + 'a = :v' + ')'.repeat(2000), ExpressionAttributeValues: V },
      'Invalid ConditionExpression: The expression is nested too deeply; maximum nesting depth: 300',
    );
    rejects(
      { ConditionExpression: 'NOT '.repeat(1000) + 'a = :v', ExpressionAttributeValues: V },
      'Invalid ConditionExpression: The expression is nested too deeply; maximum nesting depth: 300',
    );
    rejects(
      { UpdateExpression: 'SET a = ' + '('.repeat(400) + ':v' + ')'.repeat(400), ExpressionAttributeValues: V },
      'Invalid UpdateExpression: The expression is nested too deeply; maximum nesting depth: 300',
    );
  });

  it('parses long flat expressions without a blow-up', { timeout: 10_000 }, () => {
    const values: Record<string, { S: string }> = {};
    let expression = 'a0 = :v0';
    values[':v0'] = { S: '0' };
    for (let i = 1; expression.length < 4000; i++) {
      values[`:v${i}`] = { S: String(i) };
      expression += ` OR a${i} = :v${i}`;
    }
    const compiled = compileExpressions({ FilterExpression: expression, ExpressionAttributeValues: values });
    assert.ok(compiled.filter);
  });
});

describe('placeholders', () => {
  it('requires every #name and :value to be defined', () => {
    rejects({ UpdateExpression: 'SET attr1 = :v' }, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v');
    rejects(
      { ConditionExpression: '#a = :v', ExpressionAttributeValues: V },
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    );
    rejects(
      { UpdateExpression: 'SET b = :w', ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':w': { S: 'x' } } },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  it('reports unused names before unused values', () => {
    rejects(
      { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: V, ExpressionAttributeNames: { '#unused': 'someattr' } },
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}',
    );
    rejects(
      { UpdateExpression: 'SET attr1 = :v', ExpressionAttributeValues: { ':v': { S: 'val' }, ':unused': { S: 'extra' }, ':more': { S: 'e' } } },
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused, :more}',
    );
  });

  it('shares placeholders across all expressions of a request', () => {
    const compiled = compileExpressions({
      UpdateExpression: 'SET #a = :v',
      ConditionExpression: 'attribute_exists(#a)',
      ExpressionAttributeNames: { '#a': 'a' },
      ExpressionAttributeValues: V,
    });
    assert.deepEqual(compiled.update?.actions, [{ action: 'SET', path: ['a'], value: { kind: 'value', value: { S: 'x' } } }]);
  });

  it('checks the maps themselves', () => {
    rejects({ ConditionExpression: 'a = :v', ExpressionAttributeValues: {} }, 'ExpressionAttributeValues must not be empty');
    rejects({ ConditionExpression: 'a = :v', ExpressionAttributeNames: {}, ExpressionAttributeValues: V }, 'ExpressionAttributeNames must not be empty');
    rejects({ ConditionExpression: 'a = :v', ExpressionAttributeNames: { 'a-b': 'x' } }, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a-b"');
    rejects({ ConditionExpression: 'a = :v', ExpressionAttributeValues: { v: { S: 'x' } } }, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"');
    rejects(
      { ConditionExpression: 'a = :v', ExpressionAttributeValues: { ':v': { SS: [] } } },
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
    );
  });

  it('normalises numbers without touching the request', () => {
    const values = { ':v': { N: '01.50' } };
    const compiled = compileExpressions({ ConditionExpression: 'a = :v', ExpressionAttributeValues: values });
    assert.deepEqual(values, { ':v': { N: '01.50' } });
    assert.deepEqual(compiled.condition, { kind: 'compare', op: '=', left: { kind: 'path', path: ['a'] }, right: { kind: 'value', value: { N: '1.5' } } });
  });

  it('refuses placeholders without an expression to use them', () => {
    rejects({ ExpressionAttributeNames: { '#a': 'a' } }, 'ExpressionAttributeNames can only be specified when using expressions', { expressions: ['ProjectionExpression'] });
    rejects(
      { ExpressionAttributeValues: V },
      'ExpressionAttributeValues can only be specified when using expressions: UpdateExpression and ConditionExpression are null',
      { expressions: ['UpdateExpression', 'ConditionExpression'] },
    );
    rejects(
      { ProjectionExpression: 'a', ExpressionAttributeValues: V },
      'ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null',
      { expressions: ['ProjectionExpression', 'FilterExpression'] },
    );
  });
});

describe('condition checks', () => {
  it('refuses reserved words as names, but not behind a #placeholder', () => {
    rejects({ ConditionExpression: 'name = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name');
    rejects({ ProjectionExpression: 'a.Date' }, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Date');
    compileExpressions({ ConditionExpression: '#n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: V });
  });

  it('reports redundant parentheses first', () => {
    rejects({ ConditionExpression: '((a = :v))', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
    rejects({ ConditionExpression: '((a)) = :v AND name = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: The expression has redundant parentheses;');
    compileExpressions({ ConditionExpression: '(a) = (:v) AND ((b = :v) OR (c = :v))', ExpressionAttributeValues: V });
  });

  it('checks functions: names, operand counts, operand types', () => {
    rejects({ ConditionExpression: 'foo(a)' }, 'Invalid ConditionExpression: Invalid function name; function: foo');
    rejects({ ConditionExpression: 'attribute_exists(a, b)' }, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2');
    rejects({ ConditionExpression: 'attribute_exists(:v)', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists');
    rejects(
      { ConditionExpression: 'begins_with(a, :n)', ExpressionAttributeValues: { ':n': { N: '1' } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    rejects(
      { ConditionExpression: 'begins_with(size(a), :v)', ExpressionAttributeValues: V },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    rejects(
      { ConditionExpression: 'attribute_type(a, b)' },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}',
    );
    rejects(
      { ConditionExpression: 'size(:n) > :n', ExpressionAttributeValues: { ':n': { N: '1' } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N',
    );
  });

  it('allows size() only as a comparison operand, and other functions only as conditions', () => {
    rejects({ ConditionExpression: 'size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
    rejects({ ConditionExpression: 'NOT size(a)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
    rejects(
      { ConditionExpression: 'attribute_exists(a) = :v', ExpressionAttributeValues: V },
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists',
    );
    rejects({ ConditionExpression: 'contains(attribute_exists(a), b)' }, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists');
    compileExpressions({ ConditionExpression: 'size(a) > size(b)' });
  });

  it('requires distinct operands', () => {
    rejects({ ConditionExpression: 'a.b = a.b' }, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b]');
    rejects(
      { ConditionExpression: 'begins_with(#x[1], x[1])', ExpressionAttributeNames: { '#x': 'x' } },
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: begins_with, first operand: [x, [1]]',
    );
  });

  it('checks BETWEEN bounds', () => {
    rejects(
      { ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '1' }, ':b': { S: 'x' } } },
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}',
    );
    rejects(
      { ConditionExpression: 'a BETWEEN :a AND :b', ExpressionAttributeValues: { ':a': { N: '10' }, ':b': { N: '9' } } },
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}',
    );
  });

  it('orders errors by category, then by position', () => {
    // Unknown functions outrank misuse, misuse outranks reserved words, reserved words outrank
    // the errors of individual comparisons.
    rejects({ ConditionExpression: 'name = :missing AND foo(a)' }, 'Invalid ConditionExpression: Invalid function name; function: foo');
    rejects({ ConditionExpression: 'a = :missing AND name = :v', ExpressionAttributeValues: V }, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name');
    // Between comparisons, the first one written with an error is reported.
    rejects(
      { ConditionExpression: 'begins_with(a, :n) AND b = :missing', ExpressionAttributeValues: { ':n': { N: '1' } } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    );
    rejects(
      { ConditionExpression: 'b = :missing AND begins_with(a, :n)', ExpressionAttributeValues: { ':n': { N: '1' } } },
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :missing',
    );
  });

  it('limits IN to 100 operands', () => {
    const values: Record<string, { N: string }> = {};
    for (let i = 0; i <= 100; i++) values[`:v${i}`] = { N: String(i) };
    const keys = Object.keys(values);
    compileExpressions({ ConditionExpression: `a IN (${keys.slice(0, 100).join(', ')})`, ExpressionAttributeValues: Object.fromEntries(keys.slice(0, 100).map((k) => [k, values[k]])) });
    rejects(
      { ConditionExpression: `a IN (${keys.join(', ')})`, ExpressionAttributeValues: values },
      'Invalid ConditionExpression: Too many operands for the IN operator; maximum number of operands: 100, number of operands: 101',
    );
  });
});

describe('update checks', () => {
  it('allows each clause once', () => {
    rejects({ UpdateExpression: 'SET a = :v REMOVE b SET c = :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
  });

  it('refuses overlapping and conflicting paths', () => {
    rejects({ UpdateExpression: 'SET a = :v REMOVE a.b', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
    rejects(
      { UpdateExpression: 'SET #v = :v, #v = :v', ExpressionAttributeNames: { '#v': 'val' }, ExpressionAttributeValues: V },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [val], path two: [val]',
    );
    rejects({ UpdateExpression: 'SET a[1] = :v REMOVE a.b', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [1]], path two: [a, b]');
    compileExpressions({ UpdateExpression: 'SET a.b = :v, a.c = :v REMOVE l[0], l[1]', ExpressionAttributeValues: V });
  });

  it('checks ADD and DELETE operand types', () => {
    rejects({ UpdateExpression: 'ADD a :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING');
    rejects(
      { UpdateExpression: 'DELETE a :v', ExpressionAttributeValues: { ':v': { N: '1' } } },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER',
    );
    rejects(
      { UpdateExpression: 'ADD a :v', ExpressionAttributeValues: { ':v': { L: [] } } },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST',
    );
    compileExpressions({ UpdateExpression: 'ADD a :n, b :s DELETE c :s', ExpressionAttributeValues: { ':n': { N: '1' }, ':s': { SS: ['x'] } } });
  });

  it('checks update functions', () => {
    rejects({ UpdateExpression: 'SET a = size(b)' }, 'Invalid UpdateExpression: Invalid function name; function: size');
    rejects({ UpdateExpression: 'SET a = if_not_exists(:v, b)', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
    rejects({ UpdateExpression: 'SET a = list_append(b, :v)', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S');
    rejects({ UpdateExpression: 'SET a = b + :v', ExpressionAttributeValues: V }, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S');
    rejects({ UpdateExpression: 'SET a = list_append(b)' }, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1');
  });

  it('reports reserved words before undefined placeholders', () => {
    rejects({ UpdateExpression: 'SET a = :missing, #b = :missing REMOVE size' }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: size');
  });

  it('compiles parenthesised values and arithmetic', () => {
    const { update } = compileExpressions({ UpdateExpression: 'SET a = (b) - :n, c = (if_not_exists(c, :n) + :n)', ExpressionAttributeValues: { ':n': { N: '1' } } });
    assert.deepEqual(update?.actions[0], {
      action: 'SET',
      path: ['a'],
      value: { kind: 'arithmetic', op: '-', left: { kind: 'path', path: ['b'] }, right: { kind: 'value', value: { N: '1' } } },
    });
  });
});

describe('projection checks', () => {
  it('refuses overlapping paths', () => {
    rejects({ ProjectionExpression: 'a.b, a' }, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]');
    rejects(
      { ProjectionExpression: '#a, #b', ExpressionAttributeNames: { '#a': 'a', '#b': 'a' } },
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]',
    );
  });

  it('keeps a #name holding a dot as one attribute name', () => {
    const { projection } = compileExpressions({ ProjectionExpression: '#sw, l[2].x', ExpressionAttributeNames: { '#sw': 'Safety.Warning' } });
    assert.deepEqual(projection, [['Safety.Warning'], ['l', 2, 'x']]);
  });
});
