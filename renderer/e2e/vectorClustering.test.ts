/**
 * End-to-end: the Indexes tab says how the local engine searches each vector index. A small index
 * is searched exactly; once it passes the clustering minimum (lowered here to 50 entries) the
 * engine clusters it in the background, and the tab shows approximate search over its clusters;
 * so does the Similar tab's status bar under its results, which match the engine's own search.
 *   node build/test.mjs renderer/e2e/vectorClustering
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { openTab } from './tablePage.ts';
import { resultColumn, similarForm, vectorIndexRow } from './similar.ts';

const item = (i: number) => ({
  pk: { S: `doc${String(i).padStart(3, '0')}` },
  embedding: { L: [Math.cos(i), Math.sin(i), (i % 7) / 7, (i % 3) / 3].map((v) => ({ N: v.toFixed(4) })) },
});

describe('how a vector index is searched, in the Indexes tab', () => {
  let app: AppUnderTest;

  before(async () => {
    app = await startApp({ quiet: true, vectorClusteringMinimum: 50 });
    await app.engine.handle(
      'CreateTable',
      {
        TableName: 'Docs',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
        VectorIndexes: [{ IndexName: 'similar', VectorAttribute: { AttributeName: 'embedding' }, Dimensions: 4, DistanceFunction: 'COSINE', Projection: { ProjectionType: 'KEYS_ONLY' } }],
      },
      REGION,
    );
    await seedItems(app.engine, 'Docs', Array.from({ length: 20 }, (_, i) => item(i)));
    await app.page.reload();
    await openTable(app.page, 'Docs');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('exact below the clustering minimum, approximate over 16 clusters past it', async () => {
    const { page } = app;
    await openTab(page, 'Indexes');
    const row = vectorIndexRow(page, 'similar');
    await row.getByLabel('How similar is searched').getByText('Exact search').waitFor();

    await seedItems(app.engine, 'Docs', Array.from({ length: 60 }, (_, i) => item(20 + i)));
    await page.reload();
    await openTable(page, 'Docs');
    await openTab(page, 'Indexes');
    await vectorIndexRow(page, 'similar').getByLabel('How similar is searched').getByText('Approximate search · 16 clusters').waitFor();
    await app.screenshot('vector-index-clustered');
    assert.deepEqual(await app.backend.invoke('insights/vectorSearch', { connectionId: 'local', tableName: 'Docs', namespace: REGION }), { ok: true, value: { similar: { clusters: 16 } } });
  });

  test('the Similar tab says its results came from an approximate search', async () => {
    const { page } = app;
    await openTab(page, 'Similar');
    const form = similarForm(page);
    await form.getByLabel('Item pk').fill('doc010');
    await form.getByLabel('Top K').fill('5');
    await form.getByRole('button', { name: 'Find similar' }).click();
    await page.getByRole('row', { name: 'Result 5' }).waitFor();
    await page.getByLabel('Search status').getByText('Approximate search · 16 clusters').waitFor();
    await app.screenshot('similar-approximate');
    const expected = (await app.engine.handle('SearchVectors', { TableName: 'Docs', IndexName: 'similar', SearchVector: item(10).embedding.L, TopK: 5 }, REGION)) as {
      SearchResults: { Item: { pk: { S: string } } }[];
    };
    assert.deepEqual(await resultColumn(page, 2), expected.SearchResults.map((r) => r.Item.pk.S));
    assert.equal((await resultColumn(page, 2))[0], 'doc010');
  });
});
