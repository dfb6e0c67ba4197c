import { readFile } from 'node:fs/promises';
import { writeJsonAtomically } from './settingsStore.ts';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rectangle;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { bounds: { x: -1, y: -1, width: 1280, height: 820 }, maximized: false };
const MIN_WIDTH = 720;
const MIN_HEIGHT = 480;

export async function loadWindowState(file: string): Promise<WindowState> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as WindowState;
    const b = saved?.bounds;
    if (b && [b.x, b.y, b.width, b.height].every(Number.isFinite)) return { bounds: b, maximized: saved.maximized === true };
  } catch {
    // First run or unreadable file.
  }
  return structuredClone(DEFAULT_WINDOW_STATE);
}

export function saveWindowState(file: string, state: WindowState): Promise<void> {
  return writeJsonAtomically(file, state);
}

/**
 * Returns bounds that are on a screen that exists now: a monitor unplugged since the last run
 * must not leave the window off-screen. Keeps the saved bounds when enough of the title bar is
 * visible on some display, otherwise centres the saved size on the first work area.
 */
export function fitToDisplays(bounds: Rectangle, workAreas: Rectangle[]): Rectangle {
  const width = Math.max(MIN_WIDTH, Math.round(bounds.width));
  const height = Math.max(MIN_HEIGHT, Math.round(bounds.height));
  const titleBar = { x: bounds.x, y: bounds.y, width, height: 32 };
  const visible = workAreas.some((area) => overlap(titleBar, area) >= Math.min(200, width) * 16);
  if (visible && bounds.x !== -1) return { x: Math.round(bounds.x), y: Math.round(bounds.y), width, height };
  const area = workAreas[0] ?? { x: 0, y: 0, width: 1280, height: 820 };
  const w = Math.min(width, area.width);
  const h = Math.min(height, area.height);
  return { x: area.x + Math.round((area.width - w) / 2), y: area.y + Math.round((area.height - h) / 2), width: w, height: h };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
