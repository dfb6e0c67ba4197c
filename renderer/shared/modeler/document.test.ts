import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DataModel } from '../../../electron/contract.ts';
import { BUILTIN_MODELS } from './builtinModels.ts';
import { checkModel, emptyModel, emptyTable, exportModel, importModel } from './document.ts';

const copy = (model: DataModel): DataModel => structuredClone(model);

describe('model documents', () => {
  test('export and import give back the same model', () => {
    for (const model of BUILTIN_MODELS) assert.deepEqual(importModel(exportModel(model)), model);
  });

  test('a new model with a new table is sound', () => {
    const model = emptyModel('Mine');
    model.tables.push(emptyTable('Things'));
    assert.deepEqual(checkModel(model), []);
  });

  test('another document, or one from a newer version, is refused saying so', () => {
    assert.throws(() => importModel('{"ModelName":"x","DataModel":[]}'), /not a Dynamo Lens data model/);
    assert.throws(() => importModel(JSON.stringify({ ...BUILTIN_MODELS[0], version: 2 })), /saved by a newer Dynamo Lens \(version 2\)/);
    assert.throws(() => importModel('{"format":'), /The file is not JSON/);
  });

  test('problems name the table, entity or access pattern they are in', () => {
    const model = copy(BUILTIN_MODELS[0]!);
    const table = model.tables[0]!;
    table.entities[0]!.keyTemplates.PK = 'CUSTOMER#{custId}';
    table.entities[1]!.keyTemplates.NOPE = 'X';
    table.entities.push({ ...table.entities[0]!, keyTemplates: { PK: 'A#{customerId}' } });
    table.accessPatterns[0]!.index = 'GSI9';
    table.accessPatterns[1]!.keyCondition = { partition: 'USER#{a' };
    table.globalSecondaryIndexes.push({ ...table.globalSecondaryIndexes[0]!, partitionKey: { name: 'GSI1PK', type: 'N' } });
    table.localSecondaryIndexes.push({ name: 'Local', partitionKey: { name: 'other', type: 'S' }, sortKey: { name: 'x', type: 'S' }, projection: { type: 'ALL' } });
    assert.deepEqual(checkModel(model), [
      'Table Shop: two indexes are named GSI1',
      'Table Shop: local index Local must share the table\'s partition key PK',
      'Table Shop: key attribute GSI1PK has two types',
      'Table Shop, entity Customer: the template of PK uses {custId}, which is not one of its attributes',
      'Table Shop, entity Order: NOPE has a template but is not a key of the table or its indexes',
      'Table Shop: two entities are named Customer',
      'Table Shop, entity Customer: no template for the table\'s key SK',
      'Table Shop, access pattern "Get a customer": no index GSI9',
      'Table Shop, access pattern "Orders of a customer in a date range": "USER#{a" has a "{" without its "}"',
    ]);
  });

  test('shapes are checked before meaning, so a broken document never throws', () => {
    for (const broken of [null, [], { format: 'dynamo-lens/data-model', version: 1, name: 'x', tables: [null, { name: 'ab' }, { name: 'Good', partitionKey: { name: 'PK', type: 'X' } }] }]) {
      assert.ok(checkModel(broken).length > 0);
    }
    const many = { ...emptyModel('x'), tables: Array.from({ length: 101 }, (_, i) => emptyTable(`T${i}xx`)) };
    assert.deepEqual(checkModel(many), ['tables must be a list of at most 100 tables']);
  });
});
