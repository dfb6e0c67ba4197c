import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { dynamo } from '../../app/client.ts';
import type { Item } from '../../shared/attributeValues.ts';
import { addUnits, NO_UNITS, unitsOf, type CapacityUnits, type ConsumedCapacity } from '../../shared/capacityCost.ts';

/** What to read: a Scan or a Query, as the DynamoDB input minus paging. */
export interface ReadRequest {
  operation: 'Scan' | 'Query';
  input: Record<string, unknown>;
}

export interface ItemPagesState {
  items: Item[];
  /** Attribute names in first-seen order, across every loaded item. */
  attributes: string[];
  lastEvaluatedKey: Item | undefined;
  loading: boolean;
  error: unknown;
  /** Items DynamoDB read, before any filter. */
  scannedCount: number;
  /** Capacity every page of this read consumed, as the endpoint reported it. */
  consumed: CapacityUnits;
  pagesRead: number;
  /** The user stopped a long read. */
  cancelled: boolean;
  /** Milliseconds since the current read started, for the progress display. */
  startedAt: number | undefined;
}

const EMPTY: ItemPagesState = {
  items: [],
  attributes: [],
  lastEvaluatedKey: undefined,
  loading: false,
  error: null,
  scannedCount: 0,
  consumed: NO_UNITS,
  pagesRead: 0,
  cancelled: false,
  startedAt: undefined,
};

/** A filtered Scan can read many pages to find a few matches; stop and ask after this long. */
const MAX_AUTOMATIC_PAGES = 200;

/**
 * Pages through a Scan or Query by LastEvaluatedKey. `loadMore` reads until it has gathered at
 * least `pageSize` new items (a filter can leave pages nearly empty) or the data runs out, and can
 * be cancelled between pages; loaded items stay.
 */
export function useItemPages(
  connection: ConnectionInfo,
  namespace: Namespace | undefined,
  request: ReadRequest | null,
  pageSize: number,
) {
  const [state, setState] = useState<ItemPagesState>(EMPTY);
  const stateRef = useRef(state);
  stateRef.current = state;
  const generation = useRef(0);
  const seen = useRef(new Set<string>());

  const read = useCallback(
    async (fresh: boolean) => {
      if (!request) return;
      const myGeneration = fresh ? ++generation.current : generation.current;
      if (fresh) seen.current = new Set();
      const base = fresh ? EMPTY : stateRef.current;
      if (!fresh && (base.loading || !base.lastEvaluatedKey)) return;
      let startKey = fresh ? undefined : base.lastEvaluatedKey;
      let items = base.items;
      let attributes = base.attributes;
      let scannedCount = base.scannedCount;
      let consumed = base.consumed;
      let pagesRead = base.pagesRead;
      const startedAt = performance.now();
      setState({ ...base, loading: true, error: null, cancelled: false, startedAt });
      let gathered = 0;
      let pagesThisRead = 0;
      try {
        do {
          const output = await dynamo<{ Items?: Item[]; LastEvaluatedKey?: Item; ScannedCount?: number; ConsumedCapacity?: ConsumedCapacity }>(
            connection.id,
            request.operation,
            { ...request.input, Limit: pageSize, ReturnConsumedCapacity: 'TOTAL', ...(startKey ? { ExclusiveStartKey: startKey } : {}) },
            namespace,
          );
          if (myGeneration !== generation.current) return;
          const page = output.Items ?? [];
          const added: string[] = [];
          for (const item of page) {
            for (const name in item) {
              if (!seen.current.has(name)) {
                seen.current.add(name);
                added.push(name);
              }
            }
          }
          if (added.length) attributes = [...attributes, ...added];
          items = page.length ? items.concat(page) : items;
          scannedCount += output.ScannedCount ?? page.length;
          consumed = addUnits(consumed, unitsOf(output.ConsumedCapacity, 'read'));
          pagesRead += 1;
          pagesThisRead += 1;
          gathered += page.length;
          startKey = output.LastEvaluatedKey;
          const snapshot = { items, attributes, lastEvaluatedKey: startKey, scannedCount, consumed, pagesRead };
          setState((s) => ({ ...s, ...snapshot }));
          if (stateRef.current.cancelled) break;
        } while (startKey && gathered < pageSize && pagesThisRead < MAX_AUTOMATIC_PAGES);
        if (myGeneration === generation.current) setState((s) => ({ ...s, loading: false, startedAt: undefined }));
      } catch (error) {
        if (myGeneration === generation.current) setState((s) => ({ ...s, loading: false, error, startedAt: undefined }));
      }
    },
    [connection.id, namespace, request, pageSize],
  );

  useEffect(() => {
    if (!request) {
      generation.current++;
      setState(EMPTY);
      return;
    }
    void read(true);
  }, [read, request]);

  const cancel = useCallback(() => {
    // Takes effect between pages: the request in flight finishes and its items are kept.
    stateRef.current = { ...stateRef.current, cancelled: true };
    setState((s) => ({ ...s, cancelled: true }));
  }, []);

  const removeItems = useCallback((predicate: (item: Item) => boolean) => {
    setState((s) => ({ ...s, items: s.items.filter((item) => !predicate(item)) }));
  }, []);

  const replaceItem = useCallback((match: (item: Item) => boolean, next: Item) => {
    setState((s) => {
      const index = s.items.findIndex(match);
      const items = index >= 0 ? s.items.map((it, i) => (i === index ? next : it)) : [next, ...s.items];
      const added = Object.keys(next).filter((n) => !seen.current.has(n));
      added.forEach((n) => seen.current.add(n));
      return { ...s, items, attributes: added.length ? [...s.attributes, ...added] : s.attributes };
    });
  }, []);

  return {
    state,
    loadMore: useCallback(() => void read(false), [read]),
    reload: useCallback(() => void read(true), [read]),
    cancel,
    removeItems,
    replaceItem,
  };
}
