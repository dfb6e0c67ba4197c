import { useCallback, useEffect, useRef, useState } from 'react';
import type { Namespace } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import type { Item } from '../../shared/attributeValues.ts';

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Item;
    NewImage?: Item;
    OldImage?: Item;
    SequenceNumber?: string;
    SizeBytes?: number;
  };
  userIdentity?: { Type?: string; PrincipalId?: string };
}

export interface Shard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { StartingSequenceNumber?: string; EndingSequenceNumber?: string };
}

export type StartPosition = 'TRIM_HORIZON' | 'LATEST';

const POLL_MS = 1000;
const KEEP_RECORDS = 500;

/** A reader's state, kept while its view is not shown. */
interface KeptReader {
  records: StreamRecord[];
  running: boolean;
  startedFrom: StartPosition | null;
  iterators: Map<string, string | null>;
}

/**
 * Readers by connection, namespace and stream. The view unmounts when the user opens another tab;
 * coming back picks up the same records and shard iterators, so reading goes on from where it was
 * and what was written meanwhile arrives (iterators stay valid for 15 minutes).
 */
const keptReaders = new Map<string, KeptReader>();

/**
 * Follows every shard of a stream the way a consumer does: an iterator per shard (children picked
 * up as DescribeStream reveals them), GetRecords about once a second, and a closed shard dropped
 * once read to its end. Records are kept newest first, at most KEEP_RECORDS.
 */
export function useStreamReader(connectionId: string, namespace: Namespace | undefined, streamArn: string | undefined) {
  const readerKey = [connectionId, namespace?.accountId ?? '', namespace?.region ?? '', streamArn ?? ''].join('|');
  const kept = keptReaders.get(readerKey);
  const [records, setRecords] = useState<StreamRecord[]>(kept?.records ?? []);
  const [running, setRunning] = useState(kept?.running ?? false);
  const [error, setError] = useState<unknown>(null);
  const [startedFrom, setStartedFrom] = useState<StartPosition | null>(kept?.startedFrom ?? null);
  const iterators = useRef(kept?.iterators ?? new Map<string, string | null>());
  const session = useRef(0);
  const shownKey = useRef(readerKey);

  const streams = useCallback(
    (operation: 'DescribeStream' | 'GetShardIterator' | 'GetRecords', input: Record<string, unknown>) =>
      call('streams', { connectionId, operation, input, ...(namespace ? { namespace } : {}) }),
    [connectionId, namespace],
  );

  /** Gives every shard not yet followed an iterator: new shards always from their start. */
  const discover = useCallback(
    async (arn: string, position: StartPosition, first: boolean) => {
      const { StreamDescription } = (await streams('DescribeStream', { StreamArn: arn })) as { StreamDescription: { Shards?: Shard[] } };
      for (const shard of StreamDescription.Shards ?? []) {
        if (iterators.current.has(shard.ShardId)) continue;
        const closed = Boolean(shard.SequenceNumberRange?.EndingSequenceNumber);
        // From LATEST, shards already closed when reading starts hold only the past.
        if (first && position === 'LATEST' && closed) {
          iterators.current.set(shard.ShardId, null);
          continue;
        }
        const type = first ? position : 'TRIM_HORIZON';
        const { ShardIterator } = (await streams('GetShardIterator', { StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: type })) as { ShardIterator?: string };
        iterators.current.set(shard.ShardId, ShardIterator ?? null);
      }
    },
    [streams],
  );

  const start = useCallback(
    (position: StartPosition) => {
      if (!streamArn) return;
      const mySession = ++session.current;
      // Cleared, not replaced: the kept reader holds this same map.
      iterators.current.clear();
      setRecords([]);
      setError(null);
      setStartedFrom(position);
      setRunning(true);
      void (async () => {
        try {
          await discover(streamArn, position, true);
        } catch (err) {
          if (mySession === session.current) {
            setError(err);
            setRunning(false);
          }
        }
      })();
    },
    [streamArn, discover],
  );

  useEffect(() => {
    if (!running || !streamArn) return;
    const mySession = session.current;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let polls = 0;
    const poll = async () => {
      try {
        if (polls++ % 5 === 4) await discover(streamArn, startedFrom ?? 'TRIM_HORIZON', false);
        const fresh: StreamRecord[] = [];
        for (const [shardId, iterator] of iterators.current) {
          if (!iterator) continue;
          const output = (await streams('GetRecords', { ShardIterator: iterator })) as { Records?: StreamRecord[]; NextShardIterator?: string };
          if (stopped || mySession !== session.current) return;
          iterators.current.set(shardId, output.NextShardIterator ?? null);
          fresh.push(...(output.Records ?? []));
        }
        if (fresh.length) {
          fresh.sort((a, b) => compareSequence(b.dynamodb.SequenceNumber, a.dynamodb.SequenceNumber));
          setRecords((current) => [...fresh, ...current].slice(0, KEEP_RECORDS));
        }
        setError(null);
      } catch (err) {
        if (!stopped) setError(err);
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [running, streamArn, streams, discover, startedFrom]);

  // In the render where the stream changed, the state still belongs to the previous one.
  const stateIsStale = shownKey.current !== readerKey;
  useEffect(() => {
    if (streamArn && !stateIsStale) keptReaders.set(readerKey, { records, running, startedFrom, iterators: iterators.current });
  }, [readerKey, streamArn, stateIsStale, records, running, startedFrom]);

  // Another stream (re-enabled, or another table): its own kept reader, or a fresh start.
  useEffect(() => {
    if (shownKey.current === readerKey) return;
    shownKey.current = readerKey;
    const other = keptReaders.get(readerKey);
    session.current++;
    iterators.current = other?.iterators ?? new Map();
    setRecords(other?.records ?? []);
    setRunning(other?.running ?? false);
    setStartedFrom(other?.startedFrom ?? null);
  }, [readerKey]);

  return {
    records,
    running,
    startedFrom,
    error,
    start,
    pause: useCallback(() => setRunning(false), []),
    resume: useCallback(() => setRunning(true), []),
    clear: useCallback(() => setRecords([]), []),
  };
}

/** Sequence numbers are decimal strings of up to 40 digits: compare by length, then text. */
export function compareSequence(a = '', b = ''): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
