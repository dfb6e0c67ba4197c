import type { ThemePreference } from '../../electron/contract.ts';

const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : undefined;
let preference: ThemePreference = 'system';

export function currentTheme(): 'light' | 'dark' {
  if (preference === 'system') return media?.matches ? 'dark' : 'light';
  return preference;
}

/** Applies a theme preference; "system" follows prefers-color-scheme, live. */
export function applyTheme(next: ThemePreference): void {
  preference = next;
  const theme = currentTheme();
  document.documentElement.dataset.theme = theme;
  window.dispatchEvent(new CustomEvent('dynamo-lens-theme', { detail: theme }));
}

media?.addEventListener('change', () => {
  if (preference === 'system') applyTheme('system');
});
