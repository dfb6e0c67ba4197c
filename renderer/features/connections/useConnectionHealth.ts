import { useEffect, useState } from 'react';
import type { ConnectionInfo } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';

/** How often a remote connection's endpoint is tried while it is the selected one. */
export const HEALTH_POLL_MS = 10_000;

export type ConnectionHealth = { state: 'checking' } | { state: 'up' } | { state: 'down'; error: unknown };

/**
 * Whether the connection answers: one ListTables through `connections/test` now and every
 * HEALTH_POLL_MS while the page is visible. The local engine runs in the app itself and is up.
 */
export function useConnectionHealth(connection: ConnectionInfo | undefined): ConnectionHealth {
  const [health, setHealth] = useState<ConnectionHealth>({ state: 'checking' });
  useEffect(() => {
    if (!connection || connection.kind === 'local') {
      setHealth({ state: 'up' });
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setHealth({ state: 'checking' });
    const check = async () => {
      if (document.visibilityState === 'visible') {
        try {
          await call('connections/test', { id: connection.id });
          if (!stopped) setHealth({ state: 'up' });
        } catch (error) {
          if (!stopped) setHealth({ state: 'down', error });
        }
      }
      if (!stopped) timer = setTimeout(() => void check(), HEALTH_POLL_MS);
    };
    void check();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [connection]);
  return health;
}
