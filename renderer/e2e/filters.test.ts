/**
 * End-to-end: the filter rows the Items tab and the Query tab share, in Chromium through the
 * browser bridge, each result checked against the engine's own Scan with a hand-written
 * FilterExpression. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/filters.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { createSimpleTable, REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { grid, gridKeys, statusBar } from './items.ts';
import { addFilter, generatedCode, matchFilters, queryForm, queryResults, queryStatus, readBar } from './query.ts';
import { openTab } from './tablePage.ts';

const CITIES = ['Oslo', 'Lima', 'Pune', 'Kyiv'];
const COLOURS = ['red', 'green', 'blue', 'teal', 'plum'];

/** `code` is a String "0150" for some items and a Number 150 or String "150" for others, so a guessed type matches the wrong ones. */
function items(): Record<string, unknown>[] {
  const made: Record<string, unknown>[] = Array.from({ length: 40 }, (_, i) => ({
    pk: { S: `item-${String(i).padStart(2, '0')}` },
    code: i % 3 === 0 ? { S: String(i * 10).padStart(4, '0') } : i % 3 === 1 ? { N: String(i * 10) } : { S: String(i * 10) },
    profile: {
      M: {
        address: { M: { city: { S: CITIES[i % 4]! } } },
        tags: { L: Array.from({ length: (i % 3) + 1 }, (_, t) => ({ S: COLOURS[(i + t) % 5]! })) },
      },
    },
  }));
  made.push({ pk: { S: 'num-150' }, code: { N: '150' } }, { pk: { S: 'str-150' }, code: { S: '150' } }, { pk: { S: 'str-0150' }, code: { S: '0150' } });
  return made;
}

describe('one filter bar for the Items and Query tabs', () => {
  let app: AppUnderTest;

  /** The keys the engine's own Scan returns for a FilterExpression, sorted. */
  async function engineScan(filter: string, names: Record<string, string>, values: Record<string, unknown>): Promise<string[]> {
    const output = (await app.engine.handle(
      'Scan',
      { TableName: 'Codes', FilterExpression: filter, ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}), ExpressionAttributeValues: values },
      REGION,
    )) as { Items: { pk: { S: string } }[] };
    return output.Items.map((item) => item.pk.S).sort();
  }

  before(async () => {
    app = await startApp({ quiet: true });
    await createSimpleTable(app.engine, 'Codes');
    await seedItems(app.engine, 'Codes', items());
    await app.page.reload();
    await openTable(app.page, 'Codes');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('Items tab: a String "0150" matches only Strings, and a nested path reaches into maps and lists', async () => {
    const { page } = app;
    const form = readBar(page);
    await addFilter(page, { attribute: 'code', operator: '=', type: 'String', value: '0150' }, form);
    await form.getByRole('button', { name: 'Run' }).click();
    const strings = await engineScan('code = :c', {}, { ':c': { S: '0150' } });
    assert.deepEqual(strings, ['item-15', 'str-0150']);
    await statusBar(page).getByText(`${strings.length} loaded`).waitFor();
    assert.deepEqual(await gridKeys(grid(page, 'Codes'), /item-\d+|num-150|str-0?150/), strings);

    await form.getByRole('button', { name: 'Remove filter 1' }).click();
    await addFilter(page, { attribute: 'profile.tags[0]', operator: '=', type: 'String', value: 'red' }, form);
    await addFilter(page, { attribute: 'profile.address.city', operator: '=', type: 'String', value: 'Oslo' }, form);
    await app.screenshot('filters-items-tab');
    await form.getByRole('button', { name: 'Run' }).click();
    const nested = await engineScan('#p.#t[0] = :red AND #p.#a.#c = :oslo', { '#p': 'profile', '#t': 'tags', '#a': 'address', '#c': 'city' }, { ':red': { S: 'red' }, ':oslo': { S: 'Oslo' } });
    assert.deepEqual(nested, ['item-00', 'item-20']);
    await statusBar(page).getByText(`${nested.length} loaded`).waitFor();
    assert.deepEqual(await gridKeys(grid(page, 'Codes'), /item-\d+/), nested);

    // A path the form cannot read is refused before anything is sent.
    await addFilter(page, { attribute: 'profile..city', operator: 'attribute_exists' }, form);
    await form.getByRole('button', { name: 'Run' }).click();
    await form.getByRole('alert').filter({ hasText: 'Path "profile..city": an attribute name is missing' }).waitFor();
  });

  test('Query tab: OR, IN, size and attribute_type, with the code it shows', async () => {
    const { page } = app;
    await openTab(page, 'Query');
    const form = queryForm(page);
    await form.getByRole('radiogroup', { name: 'Operation' }).getByRole('radio', { name: 'Scan' }).click();
    await addFilter(page, { attribute: 'profile.address.city', operator: '=', type: 'String', value: 'Oslo' });
    await addFilter(page, { attribute: 'code', operator: 'IN', type: 'String', value: '0150, "150"' });
    await matchFilters(form, 'or');
    await form.getByRole('button', { name: 'Run Scan' }).click();
    const either = await engineScan(
      '#p.#a.#c = :oslo OR code IN (:a, :b)',
      { '#p': 'profile', '#a': 'address', '#c': 'city' },
      { ':oslo': { S: 'Oslo' }, ':a': { S: '0150' }, ':b': { S: '150' } },
    );
    assert.equal(either.length, 13);
    await queryStatus(page).getByText(`${either.length} returned`).waitFor();
    assert.deepEqual(await gridKeys(queryResults(page), /item-\d+|num-150|str-0?150/), either);
    assert.match(await generatedCode(page).innerText(), /FilterExpression: "#n0\.#n1\.#n2 = :v0 OR #n3 IN \(:v1, :v2\)"/);
    await app.screenshot('filters-query-tab');

    // Every item has a code; size(code) of a String is its length, attribute_type tells S from N.
    await form.getByRole('button', { name: 'Remove filter 2' }).click();
    await form.getByRole('button', { name: 'Remove filter 1' }).click();
    await addFilter(page, { attribute: 'code', size: true, operator: 'BETWEEN', value: '4', upperBound: '4' });
    await addFilter(page, { attribute: 'code', operator: 'attribute_type', value: 'S' });
    await matchFilters(form, 'and');
    await form.getByRole('button', { name: 'Run Scan' }).click();
    const fourLetters = await engineScan('size(code) BETWEEN :four AND :four AND attribute_type(code, :s)', {}, { ':four': { N: '4' }, ':s': { S: 'S' } });
    await queryStatus(page).getByText(`${fourLetters.length} returned`).waitFor();
    assert.deepEqual(await gridKeys(queryResults(page), /item-\d+|num-150|str-0?150/), fourLetters);
  });
});
