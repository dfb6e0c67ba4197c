import type { Namespace } from '../../electron/contract.ts';

/** Where the user is: the part of the app's state the URL carries, so a reload lands there again. */
export interface Place {
  connectionId: string;
  /** The local engine's account and region; absent for a remote connection. */
  namespace?: Namespace;
  tableName: string;
  tab: string;
}

/** A connection without namespaces writes this in their place. */
const NO_NAMESPACE = '-';

/**
 * `#/<connection>/<account>/<region>/<table>/<tab>`, each part URI-encoded. In the hash, so the
 * page's query (the bridge token) stays as it is and no request ever carries the place.
 */
export function placeToHash(place: Place): string {
  const parts = [place.connectionId, place.namespace?.accountId ?? NO_NAMESPACE, place.namespace?.region ?? NO_NAMESPACE, place.tableName, place.tab];
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

/** The place a hash names, or null when it names none (empty, foreign or malformed). */
export function hashToPlace(hash: string): Place | null {
  if (!hash.startsWith('#/')) return null;
  const parts = hash.slice(2).split('/');
  if (parts.length !== 5) return null;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return null;
  }
  const [connectionId, accountId, region, tableName, tab] = decoded as [string, string, string, string, string];
  if (!connectionId || !tableName || !tab) return null;
  const hasNamespace = accountId !== NO_NAMESPACE && region !== NO_NAMESPACE;
  return { connectionId, ...(hasNamespace ? { namespace: { accountId, region } } : {}), tableName, tab };
}
