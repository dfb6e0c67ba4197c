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

/**
 * Follows every shard of a stream the way a consumer does: an iterator per shard (children picked
 * up as DescribeStream reveals them), GetRecords about once a second, and a closed shard dropped
 * once read to its end. Records are kept newest first, at most KEEP_RECORDS.
 */
export function useStreamReader(connectionId: string, namespace: Namespace | undefined, streamArn: string | undefined) {
  const [records, setRecords] = useState<StreamRecord[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [startedFrom, setStartedFrom] = useState<StartPosition | null>(null);
  const iterators = useRef(new Map<string, string | null>());
  const session = useRef(0);

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
      iterators.current = new Map();
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

  // Another stream (re-enabled, or another table): start over.
  useEffect(() => {
    session.current++;
    iterators.current = new Map();
    setRecords([]);
    setRunning(false);
    setStartedFrom(null);
  }, [streamArn]);

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
