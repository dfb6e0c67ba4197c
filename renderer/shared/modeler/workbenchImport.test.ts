import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_MODELS } from './builtinModels.ts';
import { exportModel } from './document.ts';
import { exportWorkbenchModel, importModelFile, importWorkbenchModel } from './workbenchImport.ts';

/** A model as NoSQL Workbench 3.x exports it (ModelName, ModelMetadata, DataModel with facets). */
const workbenchExport = {
  ModelName: 'Library',
  ModelMetadata: { Author: 'me', DateCreated: 'Jan 1, 2025, 10:00 AM', DateLastModified: 'Jan 1, 2025, 10:00 AM', Description: 'Books and loans', AWSService: 'Amazon DynamoDB', Version: '3.0' },
  DataModel: [
    {
      TableName: 'Library',
      KeyAttributes: { PartitionKey: { AttributeName: 'PK', AttributeType: 'S' }, SortKey: { AttributeName: 'SK', AttributeType: 'S' } },
      NonKeyAttributes: [
        { AttributeName: 'title', AttributeType: 'S' },
        { AttributeName: 'pages', AttributeType: 'N' },
        { AttributeName: 'due', AttributeType: 'S' },
        { AttributeName: 'GSI1PK', AttributeType: 'S' },
      ],
      TableFacets: [
        {
          FacetName: 'Book',
          KeyAttributeAlias: { PartitionKeyAlias: 'BookId', SortKeyAlias: 'Kind' },
          TableData: [
            { PK: { S: 'BOOK#1' }, SK: { S: 'BOOK' }, title: { S: 'Dune' }, pages: { N: '412' } },
            { PK: { S: 'BOOK#2' }, SK: { S: 'BOOK' }, title: { S: 'Emma' }, pages: { N: '474' } },
          ],
          NonKeyAttributes: ['title', 'pages'],
          DataAccess: { MySql: {} },
        },
        { FacetName: 'Loan', KeyAttributeAlias: { PartitionKeyAlias: 'BookId', SortKeyAlias: 'MemberId' }, TableData: [], NonKeyAttributes: ['due', 'pages'] },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'GSI1',
          KeyAttributes: { PartitionKey: { AttributeName: 'GSI1PK', AttributeType: 'S' } },
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
        },
      ],
      DataAccess: { MySql: {} },
      BillingMode: 'PROVISIONED',
      ProvisionedCapacitySettings: { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 4 }, AutoScalingRead: { ScalableTargetRequest: { MinCapacity: 1, MaxCapacity: 10 } } },
    },
    {
      TableName: 'Members',
      KeyAttributes: { PartitionKey: { AttributeName: 'memberId', AttributeType: 'S' } },
      NonKeyAttributes: [{ AttributeName: 'email', AttributeType: 'S' }],
      TableData: [],
      BillingMode: 'PAY_PER_REQUEST',
    },
  ],
};

describe('NoSQL Workbench import', () => {
  test('tables, indexes, billing; facets become entities', () => {
    const model = importWorkbenchModel(workbenchExport);
    assert.equal(model.name, 'Library');
    assert.equal(model.description, 'Books and loans');
    const [library, members] = model.tables;
    assert.deepEqual(library!.billing, { mode: 'PROVISIONED', readCapacityUnits: 5, writeCapacityUnits: 4 });
    assert.deepEqual(library!.globalSecondaryIndexes, [{ name: 'GSI1', partitionKey: { name: 'GSI1PK', type: 'S' }, projection: { type: 'INCLUDE', nonKeyAttributes: ['title'] } }]);
    // With items, the facet's templates keep what its keys share.
    const book = library!.entities[0]!;
    assert.equal(book.name, 'Book');
    assert.deepEqual(book.keyTemplates, { PK: 'BOOK#{bookId}', SK: 'BOOK' });
    assert.deepEqual(book.attributes.map((a) => [a.name, a.type]), [['title', 'S'], ['pages', 'N'], ['bookId', 'S']]);
    // Without, its key aliases are what the keys hold.
    const loan = library!.entities[1]!;
    assert.deepEqual(loan.keyTemplates, { PK: '{BookId}', SK: '{MemberId}' });
    assert.deepEqual(loan.attributes.map((a) => [a.name, a.type]), [['BookId', 'S'], ['MemberId', 'S'], ['due', 'S'], ['pages', 'N']]);
    assert.deepEqual(members!.billing, { mode: 'PAY_PER_REQUEST' });
    assert.deepEqual(members!.entities, [{ name: 'Members', attributes: [{ name: 'memberId', type: 'S' }, { name: 'email', type: 'S' }], keyTemplates: { memberId: '{memberId}' } }]);
  });

  test('one reader for both formats', () => {
    assert.equal(importModelFile(JSON.stringify(workbenchExport)).tables.length, 2);
    assert.deepEqual(importModelFile(exportModel(BUILTIN_MODELS[1]!)), BUILTIN_MODELS[1]);
  });

  test('exported for NoSQL Workbench and read back: tables, indexes, billing, and each entity recovered from its facet\'s sample items', () => {
    for (const model of BUILTIN_MODELS) {
      const exported = exportWorkbenchModel(model, 3, new Date(Date.UTC(2026, 0, 5, 9, 7)));
      assert.equal((exported.ModelMetadata as { DateCreated: string }).DateCreated, 'Jan 5, 2026, 09:07 AM');
      const back = importWorkbenchModel(JSON.parse(JSON.stringify(exported)));
      assert.equal(back.name, model.name);
      for (const [i, table] of model.tables.entries()) {
        const read = back.tables[i]!;
        assert.deepEqual([read.name, read.partitionKey, read.sortKey, read.billing, read.globalSecondaryIndexes], [table.name, table.partitionKey, table.sortKey, table.billing, table.globalSecondaryIndexes], model.name);
        for (const entity of table.entities) {
          const found = read.entities.find((e) => e.name === entity.name)!;
          assert.deepEqual(found.keyTemplates, entity.keyTemplates, `${model.name}: ${entity.name}`);
          assert.deepEqual(
            found.attributes.map((a) => [a.name, a.type]).sort(),
            entity.attributes.map((a) => [a.name, a.type]).sort(),
            `${model.name}: ${entity.name}`,
          );
        }
      }
    }
  });

  test('a broken export says where', () => {
    const broken = structuredClone(workbenchExport);
    broken.DataModel[0]!.KeyAttributes.PartitionKey.AttributeType = 'BOOL';
    assert.throws(() => importWorkbenchModel(broken), /DataModel\[0\]\.KeyAttributes\.PartitionKey needs an AttributeName and an AttributeType of S, N or B/);
    const badItem = structuredClone(workbenchExport);
    (badItem.DataModel[0]!.TableFacets![0]!.TableData as unknown[]).push({ PK: { Q: 'x' } });
    assert.throws(() => importWorkbenchModel(badItem), /DataModel\[0\]\.TableFacets\[0\]\.TableData\[2\] is not an item in DynamoDB JSON/);
    assert.throws(() => importModelFile('{"ModelName":"x"}'), /not a Dynamo Lens data model/);
  });
});
