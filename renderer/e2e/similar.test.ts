/**
 * End-to-end: a vector index created from the Indexes tab backfills the table's items; the
 * Similar tab finds an item's nearest neighbours (checked against the engine's own SearchVectors),
 * narrows them with a condition on the search schema, searches with a pasted vector, shows
 * the request as SDK code, and maps the index's space (PCA in a worker) with the neighbours ringed.
 *   node build/test.mjs renderer/e2e/similar
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';
import { createVectorIndex, resultColumn, similarForm, vectorIndexRow } from './similar.ts';

const vector = (...values: number[]) => ({ L: values.map((v) => ({ N: String(v) })) });

describe('vector indexes and similar items in the browser', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Articles',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'topic', AttributeType: 'S' },
        ],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        VectorIndexes: [
          {
            IndexName: 'by-topic',
            VectorAttribute: { AttributeName: 'embedding' },
            Dimensions: 4,
            DistanceFunction: 'COSINE',
            Projection: { ProjectionType: 'ALL' },
            SearchSchema: [{ AttributeName: 'topic', SearchSchemaElementType: 'HASH' }],
          },
        ],
      },
      REGION,
    );
    const items = Array.from({ length: 40 }, (_, i) => ({
      pk: { S: `a${String(i).padStart(2, '0')}` },
      topic: { S: i % 2 ? 'space' : 'sea' },
      title: { S: `Article ${i}` },
      embedding: vector(Math.cos(i / 7), Math.sin(i / 7), (i % 5) / 5, 1 - (i % 3) / 3),
    }));
    await seedItems(app.engine, 'Articles', items);
    await app.page.reload();
    await openTable(app.page, 'Articles');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('Indexes tab: create a vector index; it backfills to ACTIVE with the items that have a vector', async () => {
    const { page } = app;
    await openTab(page, 'Indexes');
    await createVectorIndex(page, { name: 'nearest', attribute: 'embedding', dimensions: 4, distance: 'Euclidean' });
    const row = vectorIndexRow(page, 'nearest');
    await row.getByText('ACTIVE').waitFor();
    await row.getByRole('cell', { name: '40', exact: true }).waitFor();
    await vectorIndexRow(page, 'by-topic').getByText('partition').waitFor();
    await app.screenshot('vector-indexes');
    const described = (await app.engine.handle('DescribeTable', { TableName: 'Articles' }, REGION)) as { Table: { VectorIndexes: { IndexName: string; DistanceFunction: string; ItemCount: number }[] } };
    assert.deepEqual(
      described.Table.VectorIndexes.map((v) => [v.IndexName, v.DistanceFunction, v.ItemCount]),
      [
        ['by-topic', 'COSINE', 40],
        ['nearest', 'EUCLIDEAN', 40],
      ],
    );
  });

  test('Similar tab: an item’s nearest neighbours, a condition, a pasted vector, and the code', async () => {
    const { page } = app;
    await openTab(page, 'Similar');
    const form = similarForm(page);
    await form.getByLabel('Vector index').selectOption('nearest');
    await form.getByLabel('Item pk').fill('a10');
    await form.getByLabel('Top K').fill('5');
    await form.getByRole('button', { name: 'Find similar' }).click();
    await page.getByRole('row', { name: 'Result 5' }).waitFor();
    const expected = (await app.engine.handle(
      'SearchVectors',
      { TableName: 'Articles', IndexName: 'nearest', SearchVector: vector(Math.cos(10 / 7), Math.sin(10 / 7), 0, 1 - 1 / 3).L, TopK: 5 },
      REGION,
    )) as { SearchResults: { Item: { pk: { S: string } } }[] };
    // Column 2 is the first attribute: the key.
    assert.deepEqual(await resultColumn(page, 2), expected.SearchResults.map((r) => r.Item.pk.S));
    assert.equal((await resultColumn(page, 2))[0], 'a10');
    await app.screenshot('similar-items');

    // The map: every item with a vector, the five neighbours ringed, coloured by topic.
    await page.getByRole('button', { name: 'Show the map of this index’s space' }).click();
    const map = page.getByRole('img', { name: 'Map of 40 items' });
    await map.waitFor();
    assert.equal(await map.locator('circle').count(), 40);
    assert.equal(await map.locator('circle[data-neighbour="true"]').count(), 5);
    await page.getByRole('region', { name: 'Vector map' }).getByLabel('Colour by').selectOption('topic');
    assert.deepEqual(await page.getByRole('list', { name: 'Legend' }).getByRole('listitem').allTextContents(), [' sea', ' space']);
    await app.screenshot('vector-map');

    // The HASH partition: only articles about the sea.
    await form.getByLabel('Vector index').selectOption('by-topic');
    await form.getByLabel('Condition (optional)').fill('topic = :t');
    await form.getByLabel('Value :t').fill('sea');
    await form.getByRole('button', { name: 'Find similar' }).click();
    await page.getByRole('table', { name: 'Similar items' }).getByRole('cell', { name: 'space' }).first().waitFor({ state: 'detached' });
    const topics = await page.getByRole('table', { name: 'Similar items' }).getByRole('cell', { name: 'sea', exact: true }).count();
    assert.equal(topics, 5);

    // A pasted vector, and its code sample.
    await form.getByRole('radio', { name: 'A vector' }).click();
    await form.getByLabel('Vector (JSON list)').fill('[1, 0, 0, 1]');
    await form.getByRole('button', { name: 'Find similar' }).click();
    await page.getByRole('row', { name: 'Result 1' }).waitFor();
    const code = await page.getByRole('region', { name: 'Generated code' }).getByLabel('JavaScript code').textContent();
    assert.match(code!, /new SearchVectorsCommand\(\{/);
    assert.match(code!, /SearchVector: \[1, 0, 0, 1\]/);
    assert.match(code!, /SearchConditionExpression: "topic = :t"/);
    // An error comes back in DynamoDB's words.
    await form.getByLabel('Vector (JSON list)').fill('[1, 0]');
    await form.getByRole('button', { name: 'Find similar' }).click();
    await page.getByText('Input search vector dimension 2 does not match vector index dimension 4').waitFor();
  });
});
