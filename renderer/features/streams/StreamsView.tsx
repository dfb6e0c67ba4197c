import { useEffect, useState } from 'react';
import { call, dynamo } from '../../app/client.ts';
import type { TableRef } from '../../app/selection.ts';
import { preview, type Item } from '../../shared/attributeValues.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import type { TableDescription } from '../items/tableSchema.ts';
import { imageDiff, type ShownValue } from './imageDiff.ts';
import { useStreamReader, type Shard, type StartPosition, type StreamRecord } from './useStreamReader.ts';

const VIEW_TYPES = ['KEYS_ONLY', 'NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES'] as const;
type ViewType = (typeof VIEW_TYPES)[number];

interface StreamTable extends TableDescription {
  LatestStreamArn?: string;
  LatestStreamLabel?: string;
}

interface StreamDescription {
  StreamArn: string;
  StreamStatus: string;
  StreamViewType: string;
  Shards?: Shard[];
}

/** The table's stream: settings, shards with their lineage, and a live record viewer. */
export function StreamsView({ table, onChanged }: { table: TableRef; onChanged(): void }) {
  const { description, error: describeError, reload } = useTableDescription<StreamTable>(table, (t) => t.TableStatus === 'UPDATING');
  const [stream, setStream] = useState<StreamDescription | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [viewType, setViewType] = useState<ViewType>('NEW_AND_OLD_IMAGES');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [position, setPosition] = useState<StartPosition>('TRIM_HORIZON');
  const enabled = description?.StreamSpecification?.StreamEnabled === true;
  const arn = enabled ? description?.LatestStreamArn : undefined;
  const reader = useStreamReader(table.connection.id, table.namespace, arn);

  useEffect(() => {
    const current = description?.StreamSpecification?.StreamViewType;
    if (current && (VIEW_TYPES as readonly string[]).includes(current)) setViewType(current as ViewType);
  }, [description?.StreamSpecification?.StreamViewType]);

  // Stream details (status, shards), refreshed every few seconds so new shards appear.
  useEffect(() => {
    if (!arn) {
      setStream(null);
      return;
    }
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const read = async () => {
      try {
        const { StreamDescription } = (await call('streams', {
          connectionId: table.connection.id,
          operation: 'DescribeStream',
          input: { StreamArn: arn },
          ...(table.namespace ? { namespace: table.namespace } : {}),
        })) as { StreamDescription: StreamDescription };
        if (stopped) return;
        setStream(StreamDescription);
        setStreamError(null);
      } catch (err) {
        if (!stopped) setStreamError(err);
      }
      if (!stopped) timer = setTimeout(() => void read(), 5000);
    };
    void read();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [arn, table]);

  const updateStream = async (specification: { StreamEnabled: boolean; StreamViewType?: ViewType }) => {
    await dynamo(table.connection.id, 'UpdateTable', { TableName: table.tableName, StreamSpecification: specification }, table.namespace);
    await waitActive();
  };

  /** DynamoDB refuses a second table update while the first settles; wait for ACTIVE in between. */
  const waitActive = async () => {
    for (let i = 0; i < 120; i++) {
      const { Table } = await dynamo<{ Table: TableDescription }>(table.connection.id, 'DescribeTable', { TableName: table.tableName }, table.namespace);
      if (Table.TableStatus !== 'UPDATING') return;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
    } catch (err) {
      setActionError(err);
    } finally {
      setBusy(false);
      reload();
      onChanged();
    }
  };

  if (describeError) return <ErrorNotice error={describeError} />;
  if (!description) {
    return (
      <div className="empty-state">
        <Spinner label="Loading table" />
      </div>
    );
  }

  const currentType = description.StreamSpecification?.StreamViewType;
  const keyNames = description.KeySchema.map((k) => k.AttributeName);

  return (
    <div className="streams-view">
      <section className="view-section" aria-label="Stream settings">
        <h2>
          DynamoDB stream
          <span className={`badge ${enabled ? 'ok' : 'off'}`}>{enabled ? (stream?.StreamStatus ?? 'ENABLED') : 'DISABLED'}</span>
        </h2>
        {enabled ? (
          <dl className="facts">
            <div style={{ gridColumn: '1 / -1' }}>
              <dt>Stream ARN</dt>
              <dd>
                <code>{description.LatestStreamArn}</code>
              </dd>
            </div>
            <div>
              <dt>View type</dt>
              <dd>{currentType}</dd>
            </div>
            <div>
              <dt>Label</dt>
              <dd>{description.LatestStreamLabel}</dd>
            </div>
            <div>
              <dt>Shards</dt>
              <dd>{stream?.Shards?.length ?? '—'}</dd>
            </div>
          </dl>
        ) : (
          <p>Turn the stream on to record every insert, update and delete of this table, in order, for 24 hours.</p>
        )}
        <div className="inline-form" style={{ marginTop: 10 }}>
          <label className="inline-field">
            <span>View type</span>
            <select aria-label="Stream view type" value={viewType} onChange={(e) => setViewType(e.target.value as ViewType)}>
              {VIEW_TYPES.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          </label>
          {!enabled ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void act(() => updateStream({ StreamEnabled: true, StreamViewType: viewType }))}>
              Enable stream
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                disabled={busy || viewType === currentType}
                title="DynamoDB cannot change the view type of an enabled stream: it is turned off and on again, which starts a new stream"
                onClick={() =>
                  void act(async () => {
                    await updateStream({ StreamEnabled: false });
                    await updateStream({ StreamEnabled: true, StreamViewType: viewType });
                  })
                }
              >
                Change view type
              </button>
              <button type="button" className="button danger-text" disabled={busy} onClick={() => void act(() => updateStream({ StreamEnabled: false }))}>
                Disable stream
              </button>
            </>
          )}
          {busy ? <Spinner label="Updating stream" /> : null}
        </div>
        <ErrorNotice error={actionError} onDismiss={() => setActionError(null)} />
        <ErrorNotice error={streamError} />
      </section>

      {enabled && stream?.Shards?.length ? (
        <section className="view-section" aria-label="Shards">
          <h2>Shards</h2>
          <ShardTree shards={stream.Shards} />
        </section>
      ) : null}

      {enabled ? (
        <section className="view-section" aria-label="Stream records">
          <h2>
            <span className={`live-dot${reader.running ? '' : ' paused'}`} aria-hidden="true" />
            Records
            <span className="toolbar-spacer" />
            <label className="inline-field">
              <span>Start at</span>
              <select aria-label="Start position" value={position} onChange={(e) => setPosition(e.target.value as StartPosition)}>
                <option value="TRIM_HORIZON">Oldest record (TRIM_HORIZON)</option>
                <option value="LATEST">New records only (LATEST)</option>
              </select>
            </label>
            <button type="button" className="button primary small" onClick={() => reader.start(position)}>
              <Icon name="play" size={11} /> {reader.startedFrom ? 'Restart' : 'Start reading'}
            </button>
            {reader.startedFrom ? (
              reader.running ? (
                <button type="button" className="button small" onClick={reader.pause}>
                  <Icon name="stop" size={11} /> Pause
                </button>
              ) : (
                <button type="button" className="button small" onClick={reader.resume}>
                  <Icon name="play" size={11} /> Resume
                </button>
              )
            ) : null}
          </h2>
          <ErrorNotice error={reader.error} />
          {!reader.startedFrom ? (
            <p>Reads every shard about once a second with GetRecords, newest records first.</p>
          ) : reader.records.length === 0 ? (
            <p role="status">{reader.running ? 'Waiting for records…' : 'Paused.'}</p>
          ) : (
            <ol className="stream-records" aria-label="Records, newest first">
              {reader.records.map((record) => (
                <RecordEntry key={record.eventID} record={record} keyNames={keyNames} />
              ))}
            </ol>
          )}
        </section>
      ) : null}
    </div>
  );
}

function keysText(keys: Item | undefined): string {
  return Object.entries(keys ?? {})
    .map(([name, value]) => `${name}=${preview(value, 40)}`)
    .join(', ');
}

function RecordEntry({ record, keyNames }: { record: StreamRecord; keyNames: string[] }) {
  const { dynamodb } = record;
  const rows = imageDiff(dynamodb.OldImage, dynamodb.NewImage, keyNames);
  const shown = record.eventName === 'MODIFY' ? rows.filter((r) => r.kind !== 'same' || keyNames.includes(r.name)) : rows;
  const time = dynamodb.ApproximateCreationDateTime ? new Date(dynamodb.ApproximateCreationDateTime * 1000).toLocaleTimeString() : '';
  return (
    <li className="stream-record" aria-label={`${record.eventName} ${keysText(dynamodb.Keys)}`}>
      <div className="record-head">
        <span className={`badge ${record.eventName.toLowerCase()}`}>{record.eventName}</span>
        <span className="record-keys">{keysText(dynamodb.Keys)}</span>
        {record.userIdentity?.PrincipalId === 'dynamodb.amazonaws.com' ? <span className="badge">TTL</span> : null}
        <span className="toolbar-spacer" />
        <span className="record-meta">
          {time} · seq {dynamodb.SequenceNumber} · {dynamodb.SizeBytes ?? 0} B
        </span>
      </div>
      {shown.length && (dynamodb.OldImage || dynamodb.NewImage) ? (
        <div className="diff" role="table" aria-label="Image changes">
          {shown.map((row) => (
            <div key={row.name} className={`diff-row ${row.kind}`} role="row">
              <span className="sign" role="cell">
                {row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : row.kind === 'changed' ? '~' : ''}
              </span>
              <span role="cell">{row.name}</span>
              <span role="cell">
                {row.kind === 'changed' ? <Value value={row.old!} className="old" /> : null}
                <Value value={(row.kind === 'removed' ? row.old : row.new)!} />
              </span>
            </div>
          ))}
        </div>
      ) : null}
    </li>
  );
}

const TYPE_NAMES: Record<string, string> = { S: 'String', N: 'Number', B: 'Binary (base64)', BOOL: 'Boolean', NULL: 'Null', M: 'Map', L: 'List', SS: 'String set', NS: 'Number set', BS: 'Binary set' };

function Value({ value, className }: { value: ShownValue; className?: string }) {
  return (
    <span className={`typed-value${className ? ` ${className}` : ''}`}>
      <abbr className="type-tag" title={TYPE_NAMES[value.type]}>
        {value.type}
      </abbr>{' '}
      {value.text}
    </span>
  );
}

/** Shards by lineage: each child under its parent, roots (parent trimmed away or none) at the top. */
function ShardTree({ shards }: { shards: Shard[] }) {
  const ids = new Set(shards.map((s) => s.ShardId));
  const children = new Map<string, Shard[]>();
  const roots: Shard[] = [];
  for (const shard of shards) {
    if (shard.ParentShardId && ids.has(shard.ParentShardId)) {
      const list = children.get(shard.ParentShardId) ?? [];
      list.push(shard);
      children.set(shard.ParentShardId, list);
    } else roots.push(shard);
  }
  const render = (shard: Shard, depth: number): React.ReactNode => (
    <li key={shard.ShardId} className={depth ? 'child' : ''} style={{ paddingLeft: depth * 18 }}>
      {depth ? '└ ' : ''}
      {shard.ShardId}{' '}
      <span className={`badge ${shard.SequenceNumberRange?.EndingSequenceNumber ? 'off' : 'ok'}`}>{shard.SequenceNumberRange?.EndingSequenceNumber ? 'closed' : 'open'}</span>
      {(children.get(shard.ShardId) ?? []).length ? <ul className="shard-tree">{children.get(shard.ShardId)!.map((c) => render(c, 1))}</ul> : null}
    </li>
  );
  return <ul className="shard-tree">{roots.map((r) => render(r, 0))}</ul>;
}
