import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchTemplate, parseTemplate, renderTemplate, renderTemplatePrefix, templatePlaceholders, templatePrefix } from './keyTemplates.ts';

describe('key templates', () => {
  test('render fills every placeholder and keeps the literal text', () => {
    assert.equal(renderTemplate('ORDER#{orderDate}#{orderId}', { orderDate: '2024-05-01', orderId: 'O7' }), 'ORDER#2024-05-01#O7');
    assert.equal(renderTemplate('PROFILE', {}), 'PROFILE');
    assert.throws(() => renderTemplate('USER#{userId}', {}), /No value for \{userId\} in "USER#\{userId\}"/);
  });

  test('a prefix stops at the first placeholder without a value', () => {
    assert.deepEqual(renderTemplatePrefix('ORDER#{orderDate}#{orderId}', {}), { text: 'ORDER#', complete: false });
    assert.deepEqual(renderTemplatePrefix('ORDER#{orderDate}#{orderId}', { orderDate: '2024' }), { text: 'ORDER#2024#', complete: false });
    assert.deepEqual(renderTemplatePrefix('ORDER#{orderDate}', { orderDate: '2024' }), { text: 'ORDER#2024', complete: true });
  });

  test('placeholders and the literal prefix', () => {
    assert.deepEqual(templatePlaceholders('T#{tenantId}#U#{userId}'), ['tenantId', 'userId']);
    assert.equal(templatePrefix('USER#{userId}'), 'USER#');
    assert.equal(templatePrefix('{userId}'), '');
  });

  test('parsing a key back gives the values it was made from', () => {
    const template = 'ORDER#{orderDate}#{orderId}';
    const values = { orderDate: '2024-05-01T10:00:00Z', orderId: 'O-7' };
    assert.deepEqual(matchTemplate(template, renderTemplate(template, values)), values);
    // The last placeholder takes the rest, separators included.
    assert.deepEqual(matchTemplate('USER#{userId}', 'USER#a#b'), { userId: 'a#b' });
    assert.equal(matchTemplate('USER#{userId}', 'ORDER#1'), undefined);
    assert.equal(matchTemplate('ORDER#{d}#{id}', 'ORDER#2024'), undefined);
    assert.equal(matchTemplate('PROFILE', 'PROFILES'), undefined);
    assert.deepEqual(matchTemplate('PROFILE', 'PROFILE'), {});
  });

  test('malformed templates are refused with what is wrong', () => {
    assert.throws(() => parseTemplate('USER#{userId'), /has a "\{" without its "\}"/);
    assert.throws(() => parseTemplate('USER#userId}'), /has a "\}" without its "\{"/);
    assert.throws(() => parseTemplate('{a}{b}'), /needs text between \{a\} and \{b\}/);
    assert.throws(() => parseTemplate('X#{1abc}'), /is not a placeholder name/);
    assert.throws(() => parseTemplate('x'.repeat(1025)), /at most 1024 characters/);
  });

  test('matching a long hostile key stays linear', () => {
    const key = 'A#'.repeat(50_000);
    const started = performance.now();
    assert.equal(matchTemplate('A#{a}#{b}#{c}#{d}#Z', key), undefined);
    assert.ok(performance.now() - started < 200);
  });
});
