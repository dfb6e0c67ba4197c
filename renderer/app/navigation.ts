import { useSyncExternalStore } from 'react';

/** The controls of the Settings tab that other views' messages link to. */
export type SettingsControl = 'capacity' | 'deletion-protection' | 'stream' | 'ttl' | 'table-class' | 'tags';

/** The element id of a settings control, so a link can focus it. */
export function settingsControlId(control: SettingsControl): string {
  return `settings-${control}`;
}

/**
 * Which tab of the table page is shown, and which control a link asked to focus. A store outside
 * React because the links live far from the table page (the delete-table dialog is the app's, the
 * capacity view is inside a tab); `request` changes with every link followed, so following the
 * same link twice focuses the control again.
 */
export interface TabPlace {
  tab: string;
  focus?: SettingsControl;
  request: number;
}

let place: TabPlace = { tab: 'items', request: 0 };
const listeners = new Set<() => void>();

export function showTab(tab: string, focus?: SettingsControl): void {
  place = { tab, ...(focus ? { focus } : {}), request: place.request + 1 };
  for (const listener of listeners) listener();
}

/**
 * Records which tab the table page in front shows, for the URL, without counting as a link
 * followed (pages only follow `showTab`'s requests).
 */
export function publishTab(tab: string): void {
  if (place.tab === tab) return;
  place = { ...place, tab };
  for (const listener of listeners) listener();
}

/** Opens the Settings tab with one control focused: the link behind "Disable deletion protection first" and its kind. */
export function openSetting(control: SettingsControl): void {
  showTab('settings', control);
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useTabPlace(): TabPlace {
  return useSyncExternalStore(subscribe, () => place);
}
