import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState } from './windowState.ts';

const screen = { x: 0, y: 0, width: 1920, height: 1080 };

test('keeps bounds that are on a screen', () => {
  assert.deepEqual(fitToDisplays({ x: 100, y: 80, width: 1000, height: 700 }, [screen]), { x: 100, y: 80, width: 1000, height: 700 });
});

test('recentres a window whose monitor is gone', () => {
  const fitted = fitToDisplays({ x: 2500, y: 100, width: 1000, height: 700 }, [screen]);
  assert.deepEqual(fitted, { x: 460, y: 190, width: 1000, height: 700 });
});

test('enforces a minimum size and fits a small screen', () => {
  const fitted = fitToDisplays({ x: 0, y: 0, width: 10, height: 10 }, [{ x: 0, y: 0, width: 800, height: 600 }]);
  assert.equal(fitted.width, 720);
  assert.equal(fitted.height, 480);
});

test('remembers bounds across runs and survives a corrupt file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dynamo-lens-window-'));
  try {
    const file = join(dir, 'window.json');
    assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
    await saveWindowState(file, { bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true });
    assert.deepEqual(await loadWindowState(file), { bounds: { x: 5, y: 6, width: 900, height: 700 }, maximized: true });
    await writeFile(file, '{not json');
    assert.deepEqual(await loadWindowState(file), DEFAULT_WINDOW_STATE);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
