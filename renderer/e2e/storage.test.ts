/**
 * The desktop app runs in memory when its data directory is owned by another process (a
 * `dynamo-lens serve`, say), and says so in its window: the same backend, in Chromium.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startApp, type AppUnderTest } from './harness.ts';

const PROBLEM =
  'The data directory /home/ada/.local/share/dynamo-lens/data is in use by another Dynamo Lens process (pid 4242, endpoint http://127.0.0.1:8000). ' +
  'This window keeps its tables in memory until you restart it.';

describe('storage problems in the window', () => {
  let app: AppUnderTest;
  before(async () => {
    app = await startApp({ quiet: true, storageProblem: PROBLEM });
  });
  after(() => app?.close());

  test('a taken data directory is said in a banner, and the top bar shows the in-memory store', async () => {
    const banner = app.page.getByRole('alert').filter({ hasText: 'is in use by another Dynamo Lens process' });
    await banner.waitFor();
    assert.equal((await banner.innerText()).trim(), PROBLEM);
    assert.match(await app.page.getByTestId('storage-pill').innerText(), /^In memory · /);
    await app.screenshot('storage-problem-banner');
  });
});
