/**
 * End-to-end: the transaction builder in Chromium, through the browser bridge, on a real in-memory
 * engine, and on a remote connection to a second engine over HTTP. Outcomes are checked in the
 * engines (GetItem), not only in the page. Run after `npx vite build --config renderer/vite.config.ts`:
 *   node --import tsx --test renderer/e2e/transactions.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openEngine } from '../../engine/engine.ts';
import { startEndpoint } from '../../engine/server.ts';
import { openTable } from './connections.ts';
import { REGION, seedItems, startApp, type AppUnderTest } from './harness.ts';
import { rowWithText } from './items.ts';
import { generatedCode, queryForm, queryResults } from './query.ts';
import { openTab } from './tablePage.ts';
import { action, addCondition, addUpdate, builder, expand, openTransactions, outcome, run } from './transactions.ts';

const accountsTable = {
  TableName: 'Accounts',
  AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  BillingMode: 'PAY_PER_REQUEST',
};

describe('transaction builder in the browser', () => {
  let app: AppUnderTest;
  const balance = async (pk: string, engine = app.engine) => {
    const got = (await engine.handle('GetItem', { TableName: 'Accounts', Key: { pk: { S: pk } } }, REGION)) as { Item?: { balance?: { N: string } } };
    return got.Item?.balance?.N;
  };

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle('CreateTable', accountsTable, REGION);
    await seedItems(app.engine, 'Accounts', [
      { pk: { S: 'acct-a' }, balance: { N: '50' }, status: { S: 'open' } },
      { pk: { S: 'acct-b' }, balance: { N: '10' }, status: { S: 'open' } },
      { pk: { S: 'acct-c' }, balance: { N: '0' }, status: { S: 'frozen' } },
    ]);
    await app.page.reload();
    await openTable(app.page, 'Accounts');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('three actions from grid selections: a failing condition check shows its reason on that action; then commits once per token', async () => {
    const { page } = app;
    // Two rows become Updates, the third a ConditionCheck.
    for (const pk of ['acct-a', 'acct-b']) await rowWithText(page, 'Accounts', pk).getByLabel('Select item').check();
    await page.getByRole('button', { name: 'Add to transaction' }).click();
    await page.getByRole('menuitem', { name: '2 items as Updates' }).click();
    for (const pk of ['acct-a', 'acct-b']) await rowWithText(page, 'Accounts', pk).getByLabel('Select item').uncheck();
    await rowWithText(page, 'Accounts', 'acct-c').getByLabel('Select item').check();
    await page.getByRole('button', { name: 'Add to transaction' }).click();
    await page.getByRole('menuitem', { name: '1 item as Condition checks' }).click();
    await page.getByRole('status').getByRole('button', { name: 'Open builder' }).click();

    await builder(page).waitFor();
    assert.equal(await builder(page).getByRole('group', { name: /^Action \d+: / }).count(), 3);
    await action(page, 1).getByText('pk=acct-a').waitFor();
    await action(page, 3).getByText('pk=acct-c').waitFor();
    // Before anything is filled in, the service's own words say what is missing, on the action.
    await action(page, 1).getByRole('list', { name: 'Problems with action 1' }).getByText(/transactItems\.1\.member\.update\.updateExpression/).waitFor();
    await action(page, 3).getByRole('list', { name: 'Problems with action 3' }).getByText(/conditionCheck\.conditionExpression/).waitFor();

    await addUpdate(await expand(page, 1), { action: 'ADD', attribute: 'balance', value: '-5' });
    await addUpdate(await expand(page, 2), { action: 'ADD', attribute: 'balance', value: '5' });
    const check = await expand(page, 3);
    await addCondition(check, { attribute: 'status', operator: '<>', type: 'String', value: 'frozen' });
    await check.getByLabel('Return the item if the condition fails (ALL_OLD)').check();
    await builder(page).getByLabel('Client request token').fill('e2e-token-1');
    assert.match(await generatedCode(page).innerText(), /TransactWriteCommand[^]*ClientRequestToken: "e2e-token-1"/);

    await run(page);
    const why = action(page, 3).getByRole('note', { name: 'Why action 3 failed' });
    await why.getByText('ConditionalCheckFailed').waitFor();
    await why.getByText('The conditional request failed').waitFor();
    assert.match(await why.getByLabel('Item when the condition failed').innerText(), /"frozen"/);
    assert.equal(await action(page, 1).getByLabel('Cancellation reason code').innerText(), 'None');
    assert.equal(await action(page, 1).getByRole('note').count(), 0, 'only the failing action shows a reason');
    await app.screenshot('transactions-cancelled');
    assert.deepEqual([await balance('acct-a'), await balance('acct-b')], ['50', '10'], 'a cancelled transaction changes nothing');

    // Make the check pass and run under a fresh token: committed, capacity per table.
    await check.getByLabel('Condition operator').selectOption('=');
    await builder(page).getByLabel('Client request token').fill('e2e-token-2');
    await run(page);
    await outcome(page).getByText('Committed').waitFor();
    await outcome(page).getByRole('table', { name: 'Consumed capacity' }).getByRole('cell', { name: 'Accounts' }).waitFor();
    assert.deepEqual([await balance('acct-a'), await balance('acct-b')], ['45', '15']);
    await app.screenshot('transactions-committed');

    // The retry sends the very same request with the same token: DynamoDB applies it once.
    await outcome(page).getByRole('button', { name: 'Retry with the same token' }).click();
    await outcome(page).getByText(/with token e2e-token-2 \(sent 2 times\)/).waitFor();
    assert.deepEqual([await balance('acct-a'), await balance('acct-b')], ['45', '15'], 'the retry is not applied a second time');

    // The same token with a different request is refused, in DynamoDB's words.
    await (await expand(page, 1)).getByLabel('Update value').fill('-6');
    await run(page);
    await builder(page).getByRole('alert').getByText(/IdempotentParameterMismatchException|same client token as a previous, but non-identical request/).first().waitFor();
    assert.equal(await balance('acct-a'), '45');
  });

  test('the failed transaction is found in the request history and reopens in the builder', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'Request history' }).click();
    const history = page.getByRole('region', { name: 'Request history' });
    await history.getByLabel('Search history').fill('TransactionCanceled');
    const requests = history.getByRole('table', { name: 'Requests' });
    await requests.getByRole('row').filter({ hasText: 'TransactWriteItems' }).first().waitFor();
    // The unfiltered list shows first; the search answers a moment later (slowly on a loaded machine).
    await requests.getByRole('row').filter({ hasText: 'TransactWriteItems' }).nth(1).waitFor({ state: 'detached' });
    assert.equal(await requests.getByRole('row').filter({ hasText: 'TransactWriteItems' }).count(), 1, 'only the cancelled one matches');
    await requests.getByRole('button', { name: /TransactWriteItems$/ }).click();
    const detail = history.getByRole('complementary', { name: 'Request detail' });
    assert.match(await detail.getByLabel('Request JSON').innerText(), /"ClientRequestToken": "e2e-token-1"/);
    assert.match(await detail.getByLabel('Error JSON').innerText(), /ConditionalCheckFailed/);
    await app.screenshot('history-detail');
    await detail.getByRole('button', { name: 'Open in builder' }).click();

    // The request comes back as it was sent: three actions, the token, expressions as written.
    await builder(page).waitFor();
    assert.equal(await builder(page).getByLabel('Client request token').inputValue(), 'e2e-token-1');
    const check = await expand(page, 3);
    assert.equal(await check.getByLabel('Condition expression').inputValue(), '#n0 <> :v0');
    await builder(page).getByLabel('Client request token').fill('e2e-token-3');
    await run(page);
    await action(page, 3).getByRole('note', { name: 'Why action 3 failed' }).getByText('ConditionalCheckFailed').waitFor();
    assert.deepEqual([await balance('acct-a'), await balance('acct-b')], ['45', '15']);
    // Back to the draft built by hand for the tests that follow.
    await check.getByRole('button', { name: 'Build the expressions from rows instead' }).click();
    await addCondition(check, { attribute: 'status', operator: '=', type: 'String', value: 'frozen' });
    for (const n of [1, 2]) await (await expand(page, n)).getByRole('button', { name: 'Build the expressions from rows instead' }).click();
    await addUpdate(await expand(page, 1), { action: 'ADD', attribute: 'balance', value: '-5' });
    await addUpdate(await expand(page, 2), { action: 'ADD', attribute: 'balance', value: '5' });
  });

  test('the same item twice is caught before sending, in the service\'s words', async () => {
    const { page } = app;
    await builder(page).getByRole('button', { name: 'Delete', exact: true }).click();
    const added = action(page, 4);
    await added.getByLabel('Key pk').fill('acct-a');
    await added.getByText('Transaction request cannot include multiple operations on one item').waitFor();
    assert.equal(await builder(page).getByRole('button', { name: 'Run TransactWriteItems' }).isDisabled(), true);
    await added.getByRole('button', { name: 'Remove action 4' }).click();
  });

  test('query results add their selected rows too; TransactGetItems reads them back', async () => {
    const { page } = app;
    await openTable(page, 'Accounts');
    await openTab(page, 'Query');
    await queryForm(page).getByLabel('Partition key value').fill('acct-b');
    await queryForm(page).getByRole('button', { name: 'Run Query' }).click();
    await queryResults(page).getByRole('row').filter({ hasText: 'acct-b' }).getByLabel('Select item').check();
    await page.locator('footer[aria-label="Query status"]:visible').getByRole('button', { name: 'Add to transaction' }).click();
    await page.getByRole('menuitem', { name: '1 item as Deletes' }).click();
    await page.getByRole('status').getByRole('button', { name: 'Open builder' }).click();
    await action(page, 4).getByText('pk=acct-b').waitFor();

    // Read mode turns every action into a Get on the same key.
    await builder(page).getByRole('radio', { name: 'TransactGetItems' }).click();
    await action(page, 4).getByRole('button', { name: 'Remove action 4' }).click();
    await run(page, 'TransactGetItems');
    await outcome(page).getByText('Read back').waitFor();
    assert.match(await action(page, 1).getByLabel('Item read by action 1').innerText(), /"45"/);
    assert.match(await action(page, 3).getByLabel('Item read by action 3').innerText(), /"frozen"/);
  });

  test('works on a remote connection: a Put written in the item editor lands in the other engine', async () => {
    const { page } = app;
    const other = await openEngine({ inMemory: true });
    const endpoint = await startEndpoint({ engine: other, port: 0 });
    let remoteId: string | undefined;
    try {
      await other.handle('CreateTable', accountsTable, REGION);
      const added = await app.backend.invoke('connections/add', { name: 'Second endpoint', region: 'us-east-1', endpointUrl: endpoint.url });
      assert.ok(added.ok);
      remoteId = added.value.id;
      await openTransactions(page, 'Second endpoint');
      await builder(page).getByRole('button', { name: 'Put', exact: true }).click();
      const put = action(page, 1);
      await put.getByLabel('Table', { exact: true }).selectOption('Accounts');
      const editor = put.getByTestId('item-editor');
      await editor.locator('.view-lines').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      await page.keyboard.insertText('{"pk": {"S": "remote-1"}, "balance": {"N": "7"}}');
      await addCondition(put, { attribute: 'pk', operator: 'attribute_not_exists' });
      await run(page);
      await outcome(page).getByText('Committed').waitFor();
      assert.equal(await balance('remote-1', other), '7');
      assert.equal(await balance('remote-1'), undefined, 'the local engine is untouched');
      await app.screenshot('transactions-remote');

      // The same Put again fails its condition: the reason comes back through the SDK.
      await run(page);
      await put.getByRole('note', { name: 'Why action 1 failed' }).getByText('ConditionalCheckFailed').waitFor();
    } finally {
      if (remoteId) await app.backend.invoke('connections/remove', { id: remoteId });
      await endpoint.close();
      await other.close();
    }
  });
});
