import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelTable } from '../../../electron/contract.ts';
import { BUILTIN_MODELS } from './builtinModels.ts';
import { generateSampleItems, seededRandom } from './sampleData.ts';

const shop = BUILTIN_MODELS[0]!.tables[0]!;
const s = (value: unknown) => (value as { S: string }).S;

describe('sample data', () => {
  test('the same seed gives the same items; another seed other items', () => {
    const first = generateSampleItems(shop, { seed: 7 });
    assert.deepEqual(generateSampleItems(shop, { seed: 7 }), first);
    assert.notDeepEqual(generateSampleItems(shop, { seed: 8 }), first);
  });

  test('changing one entity leaves the others as they were', () => {
    const before = generateSampleItems(shop, { seed: 7 }).filter((i) => i.entity === 'Product');
    const after = generateSampleItems(shop, { seed: 7, counts: { Order: 3 } }).filter((i) => i.entity === 'Product');
    assert.deepEqual(after, before);
  });

  test('items follow their entity: key templates, types, ranges, enums, sequences', () => {
    const items = generateSampleItems(shop, { seed: 1 });
    assert.deepEqual(
      Object.fromEntries(['Customer', 'Order', 'Product'].map((e) => [e, items.filter((i) => i.entity === e).length])),
      { Customer: 20, Order: 100, Product: 30 },
    );
    const customers = items.filter((i) => i.entity === 'Customer').map((i) => i.item);
    assert.deepEqual(customers.slice(0, 2).map((c) => [s(c.customerId), s(c.PK), s(c.SK)]), [['C0001', 'CUSTOMER#C0001', 'PROFILE'], ['C0002', 'CUSTOMER#C0002', 'PROFILE']]);
    assert.match(s(customers[0]!.email), /^[a-z]+\.[a-z]+1@example\.com$/);
    for (const { item } of items.filter((i) => i.entity === 'Order')) {
      const date = s(item.orderDate);
      assert.match(date, /^2024-\d\d-\d\d$/);
      assert.equal(s(item.SK), `ORDER#${date}#${s(item.orderId)}`);
      assert.ok(['PLACED', 'SHIPPED', 'DELIVERED', 'CANCELLED'].includes(s(item.status)));
      assert.equal(s(item.GSI1PK), `STATUS#${s(item.status)}`);
      const total = Number((item.total as { N: string }).N);
      // Two decimals at most, as DynamoDB writes a number (trailing zeros dropped).
      assert.ok(total >= 5 && total <= 500 && /^\d+(\.\d{1,2})?$/.test((item.total as { N: string }).N), (item.total as { N: string }).N);
      assert.ok(customers.some((c) => s(c.customerId) === s(item.customerId)), 'an order belongs to a generated customer');
    }
  });

  test('a skewed reference puts most items on a few partitions', () => {
    const table: ModelTable = {
      ...shop,
      entities: [
        { name: 'Device', attributes: [{ name: 'id', type: 'S', generator: { kind: 'sequence', prefix: 'D', width: 3 } }], keyTemplates: { PK: 'D#{id}', SK: 'META' }, sampleCount: 100 },
        {
          name: 'Reading',
          attributes: [
            { name: 'device', type: 'S', generator: { kind: 'reference', entity: 'Device', attribute: 'id', skew: 1.5 } },
            { name: 'n', type: 'N', generator: { kind: 'sequence' } },
          ],
          keyTemplates: { PK: 'D#{device}', SK: 'R#{n}' },
          sampleCount: 2000,
        },
      ],
    };
    const readings = generateSampleItems(table, { seed: 3 }).filter((i) => i.entity === 'Reading');
    const perDevice = new Map<string, number>();
    for (const { item } of readings) perDevice.set(s(item.PK), (perDevice.get(s(item.PK)) ?? 0) + 1);
    const counts = [...perDevice.values()].sort((a, b) => b - a);
    // Zipf with exponent 1.5 over 100 values: the hottest takes about 38%, the top three over half.
    assert.ok(counts[0]! > 0.3 * readings.length, `hottest partition has ${counts[0]} of ${readings.length}`);
    assert.ok(counts[0]! + counts[1]! + counts[2]! > 0.5 * readings.length);
    assert.equal(perDevice.get('D#D001'), counts[0]);
    // Uniform (no skew) spreads them out.
    table.entities[1]!.attributes[0]!.generator = { kind: 'reference', entity: 'Device', attribute: 'id' };
    const flat = generateSampleItems(table, { seed: 3 }).filter((i) => i.entity === 'Reading');
    const flatCounts = new Map<string, number>();
    for (const { item } of flat) flatCounts.set(s(item.PK), (flatCounts.get(s(item.PK)) ?? 0) + 1);
    assert.ok(Math.max(...flatCounts.values()) < 0.05 * flat.length);
  });

  test('items sharing a primary key are generated once', () => {
    const table: ModelTable = {
      ...shop,
      entities: [{ name: 'Flag', attributes: [{ name: 'color', type: 'S', generator: { kind: 'enum', values: ['red', 'blue'] } }], keyTemplates: { PK: 'FLAG#{color}', SK: 'X' }, sampleCount: 50 }],
    };
    assert.deepEqual(generateSampleItems(table, { seed: 1 }).map((i) => s(i.item.PK)).sort(), ['FLAG#blue', 'FLAG#red']);
  });

  test('every built-in model generates its sample data', () => {
    for (const model of BUILTIN_MODELS) for (const table of model.tables) assert.ok(generateSampleItems(table, { seed: 42 }).length > 50, table.name);
  });

  test('circular references and runaway counts are refused', () => {
    const table: ModelTable = {
      ...shop,
      entities: [
        { name: 'A', attributes: [{ name: 'b', type: 'S', generator: { kind: 'reference', entity: 'B', attribute: 'a' } }], keyTemplates: { PK: '{b}', SK: 'A' } },
        { name: 'B', attributes: [{ name: 'a', type: 'S', generator: { kind: 'reference', entity: 'A', attribute: 'b' } }], keyTemplates: { PK: '{a}', SK: 'B' } },
      ],
    };
    assert.throws(() => generateSampleItems(table, { seed: 1 }), /go round in a circle: A → B → A/);
    assert.throws(() => generateSampleItems(shop, { seed: 1, counts: { Order: 1_000_000 } }), /at most 100,000 items/);
  });

  test('the random stream is spread evenly', () => {
    const random = seededRandom('x');
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 100_000; i++) buckets[Math.floor(random() * 10)]++;
    for (const count of buckets) assert.ok(count > 9_500 && count < 10_500);
  });
});
