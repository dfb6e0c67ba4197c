/**
 * End-to-end: the update builder, opened from a selected row's "Update…", changes attributes with
 * an UpdateExpression (nested paths, list_append, if_not_exists, ADD, REMOVE) under a condition
 * built from condition rows; GetItem checks what DynamoDB stored. A failing condition is shown in
 * place and changes nothing.
 *   node build/test.mjs renderer/e2e/update
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openTable } from './connections.ts';
import { REGION, startApp, type AppUnderTest } from './harness.ts';
import { rowWithText } from './items.ts';
import { addCondition, setAction, updateCode, updateDialog, updateRequest } from './update.ts';

describe('update builder in the browser', () => {
  let app: AppUnderTest;
  const getItem = async () =>
    ((await app.engine.handle('GetItem', { TableName: 'Profiles', Key: { pk: { S: 'p1' } }, ConsistentRead: true }, REGION)) as { Item: Record<string, unknown> }).Item;

  before(async () => {
    app = await startApp({ quiet: true });
    await app.engine.handle(
      'CreateTable',
      { TableName: 'Profiles', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
      REGION,
    );
    await app.engine.handle(
      'PutItem',
      {
        TableName: 'Profiles',
        Item: {
          pk: { S: 'p1' },
          name: { S: 'Ada' },
          status: { S: 'active' },
          visits: { N: '3' },
          address: { M: { city: { S: 'London' }, lines: { L: [{ S: '1 Main St' }] } } },
          history: { L: [{ S: 'x' }] },
        },
      },
      REGION,
    );
    await app.page.reload();
    await openTable(app.page, 'Profiles');
  });
  after(async () => {
    await app?.close();
    assert.deepEqual(app?.pageErrors.map((e) => e.message) ?? [], [], 'the page threw errors');
  });

  test('builds an update from the selected row, shows its expression and code, and DynamoDB stores it', async () => {
    const { page } = app;
    await rowWithText(page, 'Profiles', 'p1').click();
    await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Update…' }).click();
    const dialog = updateDialog(page);
    await dialog.waitFor();
    await setAction(page, 1, { path: 'address.city', value: 'Paris' });
    await setAction(page, 2, { path: 'history', mode: '= list_append(path, value)', type: 'DynamoDB JSON', value: '{"L": [{"S": "y"}]}' });
    await setAction(page, 3, { path: 'nickname', mode: '= if_not_exists(path, value)', value: 'Countess' });
    await setAction(page, 4, { action: 'ADD', path: 'visits', type: 'Number', value: '12345678901234567890123456789012345670' });
    await setAction(page, 5, { action: 'REMOVE', path: 'name' });
    await addCondition(page, { attribute: 'status', operator: '=', type: 'String', value: 'active' });

    const request = JSON.parse(await updateRequest(page).innerText()) as Record<string, unknown>;
    assert.equal(request.UpdateExpression, 'SET #n0.#n1 = :u0, #n2 = list_append(#n2, :u1), #n3 = if_not_exists(#n3, :u2) REMOVE #n5 ADD #n4 :u3');
    assert.equal(request.ConditionExpression, '#n6 = :v0');
    assert.deepEqual(request.ExpressionAttributeNames, { '#n0': 'address', '#n1': 'city', '#n2': 'history', '#n3': 'nickname', '#n4': 'visits', '#n5': 'name', '#n6': 'status' });
    assert.deepEqual((request.ExpressionAttributeValues as Record<string, unknown>)[':u3'], { N: '12345678901234567890123456789012345670' });
    assert.match(await updateCode(page).innerText(), /new UpdateCommand\(\{[\s\S]*":u3": NumberValue\.from\("12345678901234567890123456789012345670"\)/);
    await dialog.getByRole('radiogroup', { name: 'Code language' }).getByRole('radio', { name: 'Python' }).click();
    assert.match(await updateCode(page).innerText(), /table\.update_item\(/);
    await dialog.getByRole('radiogroup', { name: 'Code language' }).getByRole('radio', { name: 'AWS CLI' }).click();
    assert.match(await updateCode(page).innerText(), /aws dynamodb update-item/);
    await app.screenshot('update-builder');

    await dialog.getByRole('button', { name: 'Update item' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Item updated' }).waitFor();
    assert.deepEqual(await getItem(), {
      pk: { S: 'p1' },
      status: { S: 'active' },
      visits: { N: '12345678901234567890123456789012345673' },
      nickname: { S: 'Countess' },
      address: { M: { city: { S: 'Paris' }, lines: { L: [{ S: '1 Main St' }] } } },
      history: { L: [{ S: 'x' }, { S: 'y' }] },
    });
  });

  test('a condition that does not hold: ConditionalCheckFailedException in place, nothing changes', async () => {
    const { page } = app;
    const before = await getItem();
    await rowWithText(page, 'Profiles', 'p1').click();
    await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Update…' }).click();
    const dialog = updateDialog(page);
    await setAction(page, 1, { path: 'status', value: 'archived' });
    await addCondition(page, { attribute: 'visits', operator: '<', type: 'Number', value: '10' });
    await dialog.getByRole('button', { name: 'Update item' }).click();
    await dialog.getByRole('alert').getByText('ConditionalCheckFailedException').waitFor();
    assert.deepEqual(await getItem(), before);
    await app.screenshot('update-condition-failed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  test('a bad path is explained before anything is sent', async () => {
    const { page } = app;
    await rowWithText(page, 'Profiles', 'p1').click();
    await page.getByRole('toolbar', { name: 'Item actions' }).getByRole('button', { name: 'Update…' }).click();
    const dialog = updateDialog(page);
    await setAction(page, 1, { path: 'a..b', value: 'x' });
    await dialog.getByText('Path "a..b": an attribute name is missing').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Update item' }).isDisabled(), true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
