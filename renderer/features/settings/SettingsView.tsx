import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { dynamo } from '../../app/client.ts';
import { settingsControlId, useTabPlace } from '../../app/navigation.ts';
import type { TableRef } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import { useTableDescription } from '../../shared/useTableDescription.ts';
import { BackupsSection } from './BackupsSection.tsx';
import { PointInTimeSection } from './PointInTimeSection.tsx';
import {
  capacityFormOf,
  STREAM_VIEW_TYPES,
  TABLE_CLASSES,
  tableClassOf,
  toCapacityUpdate,
  type CapacityForm,
  type SettingsTableDescription,
} from './settingsInput.ts';

/** One section's request: busy while it runs, DynamoDB's error shown in that section. */
function useSectionAction(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clearError: () => setError(null) };
}

function Section({ label, children, note }: { label: string; children: ReactNode; note?: ReactNode }) {
  return (
    <section className="view-section settings-section" aria-label={label}>
      <h2>{label}</h2>
      {note ? <p>{note}</p> : null}
      {children}
    </section>
  );
}

/**
 * A table's settings after creation, each changed through DynamoDB's own calls on any connection:
 * capacity (UpdateTable), deletion protection, stream, table class, TTL (UpdateTimeToLive) and
 * tags (TagResource/UntagResource). Other views' messages link here with a control focused.
 */
export function SettingsView({ table, onChanged }: { table: TableRef; onChanged(): void }) {
  const { description, error, reload } = useTableDescription<SettingsTableDescription>(
    table,
    (d) => d.TableStatus !== 'ACTIVE' || (d.GlobalSecondaryIndexes ?? []).some((i) => i.IndexStatus && i.IndexStatus !== 'ACTIVE'),
  );
  const place = useTabPlace();
  const changed = useCallback(() => {
    reload();
    onChanged();
  }, [reload, onChanged]);

  // Follow a link's request to focus one control, once the controls are there.
  const loaded = description !== null;
  useEffect(() => {
    if (!loaded || !place.focus) return;
    const element = document.getElementById(settingsControlId(place.focus));
    element?.scrollIntoView({ block: 'center' });
    element?.focus();
  }, [loaded, place.request, place.focus]);

  if (!description) {
    return error ? (
      <ErrorNotice error={error} />
    ) : (
      <div className="empty-state">
        <Spinner label="Loading settings" />
      </div>
    );
  }
  const update = (input: Record<string, unknown>) => dynamo(table.connection.id, 'UpdateTable', { TableName: table.tableName, ...input }, table.namespace);

  return (
    <div className="settings-view">
      {description.TableStatus && description.TableStatus !== 'ACTIVE' ? (
        <div className="capability-note" role="status">
          <Spinner label="Updating" />
          <span>
            The table is <strong>{description.TableStatus}</strong>; DynamoDB accepts the next change once it is ACTIVE again.
          </span>
        </div>
      ) : null}
      <CapacitySection description={description} update={update} onDone={changed} />
      <DeletionProtectionSection description={description} update={update} onDone={changed} />
      <StreamSection description={description} update={update} onDone={changed} />
      <TableClassSection description={description} update={update} onDone={changed} />
      <TtlSection table={table} />
      <TagsSection table={table} description={description} />
      <BackupsSection table={table} onRestored={onChanged} />
      <PointInTimeSection table={table} onRestored={onChanged} />
    </div>
  );
}

interface SectionProps {
  description: SettingsTableDescription;
  update(input: Record<string, unknown>): Promise<unknown>;
  onDone(): void;
}

function UnitsInputs({ label, value, onChange }: { label: string; value: { read: string; write: string }; onChange(next: { read: string; write: string }): void }) {
  return (
    <div className="units-row" role="group" aria-label={`${label} capacity`}>
      <span className="units-label">{label}</span>
      <label className="inline-field">
        Read units
        <input type="number" className="units-input" aria-label={`${label} read capacity units`} value={value.read} onChange={(e) => onChange({ ...value, read: e.target.value })} />
      </label>
      <label className="inline-field">
        Write units
        <input type="number" className="units-input" aria-label={`${label} write capacity units`} value={value.write} onChange={(e) => onChange({ ...value, write: e.target.value })} />
      </label>
    </div>
  );
}

function CapacitySection({ description, update, onDone }: SectionProps) {
  const [form, setForm] = useState<CapacityForm>(() => capacityFormOf(description));
  const action = useSectionAction(onDone);
  // A new description (after a save, or a change elsewhere) resets the form to what DynamoDB holds.
  useEffect(() => setForm(capacityFormOf(description)), [description]);
  const input = toCapacityUpdate(description, form);
  const gsis = description.GlobalSecondaryIndexes ?? [];

  return (
    <Section
      label="Capacity"
      note="On-demand tables pay per request and scale by themselves; provisioned tables have read and write units per second for the table and each global secondary index. DynamoDB limits how often a table may switch between the two."
    >
      <form
        className="settings-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (input) void action.run(() => update(input));
        }}
      >
        <div className="segmented" role="radiogroup" aria-label="Capacity mode">
          {(['PAY_PER_REQUEST', 'PROVISIONED'] as const).map((mode) => (
            <button
              key={mode}
              id={mode === 'PROVISIONED' ? settingsControlId('capacity') : undefined}
              type="button"
              role="radio"
              aria-checked={form.mode === mode}
              className={form.mode === mode ? 'on' : ''}
              onClick={() => setForm({ ...form, mode })}
            >
              {mode === 'PAY_PER_REQUEST' ? 'On-demand' : 'Provisioned'}
            </button>
          ))}
        </div>
        {form.mode === 'PROVISIONED' ? (
          <div className="units-grid">
            <UnitsInputs label="Table" value={form.table} onChange={(table) => setForm({ ...form, table })} />
            {gsis.map((index) => (
              <UnitsInputs
                key={index.IndexName}
                label={`Index ${index.IndexName}`}
                value={form.indexes[index.IndexName] ?? { read: '5', write: '5' }}
                onChange={(next) => setForm({ ...form, indexes: { ...form.indexes, [index.IndexName]: next } })}
              />
            ))}
          </div>
        ) : null}
        <div className="settings-actions">
          <button type="submit" className="button primary" disabled={!input || action.busy}>
            {action.busy ? 'Saving…' : 'Save capacity'}
          </button>
          {input ? (
            <button type="button" className="button subtle" onClick={() => setForm(capacityFormOf(description))}>
              Discard
            </button>
          ) : null}
        </div>
      </form>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}

function DeletionProtectionSection({ description, update, onDone }: SectionProps) {
  const action = useSectionAction(onDone);
  const on = description.DeletionProtectionEnabled === true;
  return (
    <Section label="Deletion protection" note="While it is on, DynamoDB refuses to delete the table.">
      <label className="switch">
        <input
          id={settingsControlId('deletion-protection')}
          type="checkbox"
          role="switch"
          aria-label="Deletion protection"
          checked={on}
          disabled={action.busy}
          onChange={(e) => void action.run(() => update({ DeletionProtectionEnabled: e.target.checked }))}
        />
        <span>
          Deletion protection <span className={`badge ${on ? 'ok' : 'off'}`}>{on ? 'ON' : 'OFF'}</span>
        </span>
      </label>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}

function StreamSection({ description, update, onDone }: SectionProps) {
  const action = useSectionAction(onDone);
  const on = description.StreamSpecification?.StreamEnabled === true;
  const [viewType, setViewType] = useState<string>(description.StreamSpecification?.StreamViewType ?? 'NEW_AND_OLD_IMAGES');
  useEffect(() => {
    if (description.StreamSpecification?.StreamViewType) setViewType(description.StreamSpecification.StreamViewType);
  }, [description]);
  return (
    <Section
      label="Stream"
      note="A stream records every change to the table's items for 24 hours. Its view type is fixed while it is on: turn it off, then on again with another type (the new stream gets a new ARN)."
    >
      <div className="settings-form row">
        <label className="switch">
          <input
            id={settingsControlId('stream')}
            type="checkbox"
            role="switch"
            aria-label="Stream"
            checked={on}
            disabled={action.busy}
            onChange={(e) =>
              void action.run(() => update({ StreamSpecification: e.target.checked ? { StreamEnabled: true, StreamViewType: viewType } : { StreamEnabled: false } }))
            }
          />
          <span>
            Stream <span className={`badge ${on ? 'ok' : 'off'}`}>{on ? 'ON' : 'OFF'}</span>
          </span>
        </label>
        <label className="inline-field">
          View type
          <select aria-label="Stream view type" value={viewType} disabled={on || action.busy} onChange={(e) => setViewType(e.target.value)}>
            {STREAM_VIEW_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}

function TableClassSection({ description, update, onDone }: SectionProps) {
  const action = useSectionAction(onDone);
  const current = tableClassOf(description);
  const [tableClass, setTableClass] = useState(current);
  useEffect(() => setTableClass(current), [current]);
  return (
    <Section label="Table class" note="Standard-Infrequent Access stores data for less and charges more per request.">
      <form
        className="settings-form row"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(() => update({ TableClass: tableClass }));
        }}
      >
        <select id={settingsControlId('table-class')} aria-label="Table class" value={tableClass} onChange={(e) => setTableClass(e.target.value)}>
          {TABLE_CLASSES.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button primary" disabled={tableClass === current || action.busy}>
          Save table class
        </button>
      </form>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}

interface TtlDescription {
  TimeToLiveStatus?: string;
  AttributeName?: string;
}

function TtlSection({ table }: { table: TableRef }) {
  const [ttl, setTtl] = useState<TtlDescription | null>(null);
  const [attribute, setAttribute] = useState('');
  const [version, setVersion] = useState(0);
  const action = useSectionAction(() => setVersion((v) => v + 1));
  const [readError, setReadError] = useState<unknown>(null);

  useEffect(() => {
    let stopped = false;
    dynamo<{ TimeToLiveDescription: TtlDescription }>(table.connection.id, 'DescribeTimeToLive', { TableName: table.tableName }, table.namespace).then(
      ({ TimeToLiveDescription }) => {
        if (stopped) return;
        setTtl(TimeToLiveDescription);
        setAttribute((a) => TimeToLiveDescription.AttributeName ?? (a || 'expiresAt'));
        setReadError(null);
      },
      (err: unknown) => !stopped && setReadError(err),
    );
    return () => {
      stopped = true;
    };
  }, [table, version]);

  const status = ttl?.TimeToLiveStatus ?? 'DISABLED';
  const on = status === 'ENABLED' || status === 'ENABLING';
  const send = (enabled: boolean) =>
    action.run(() =>
      dynamo(table.connection.id, 'UpdateTimeToLive', { TableName: table.tableName, TimeToLiveSpecification: { Enabled: enabled, AttributeName: attribute.trim() } }, table.namespace),
    );
  return (
    <Section label="Time to Live" note="Items whose TTL attribute holds epoch seconds in the past are deleted in the background. The TTL tab shows what is due.">
      {readError ? <ErrorNotice error={readError} /> : null}
      <form
        className="settings-form row"
        onSubmit={(e) => {
          e.preventDefault();
          void send(!on);
        }}
      >
        <span className={`badge ${status === 'ENABLED' ? 'ok' : status === 'DISABLED' ? 'off' : 'busy'}`}>{status}</span>
        <label className="inline-field">
          TTL attribute
          <input id={settingsControlId('ttl')} value={attribute} disabled={on || !ttl} spellCheck={false} onChange={(e) => setAttribute(e.target.value)} />
        </label>
        <button type="submit" className={`button${on ? '' : ' primary'}`} disabled={action.busy || !ttl || (!on && !attribute.trim())}>
          {on ? 'Disable TTL' : 'Enable TTL'}
        </button>
      </form>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}

interface Tag {
  Key: string;
  Value: string;
}

function TagsSection({ table, description }: { table: TableRef; description: SettingsTableDescription }) {
  const [tags, setTags] = useState<Tag[] | null>(null);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [version, setVersion] = useState(0);
  const [readError, setReadError] = useState<unknown>(null);
  const action = useSectionAction(() => setVersion((v) => v + 1));
  const arn = description.TableArn;

  useEffect(() => {
    if (!arn) return;
    let stopped = false;
    dynamo<{ Tags?: Tag[] }>(table.connection.id, 'ListTagsOfResource', { ResourceArn: arn }, table.namespace).then(
      ({ Tags }) => {
        if (stopped) return;
        setTags(Tags ?? []);
        setReadError(null);
      },
      (err: unknown) => !stopped && setReadError(err),
    );
    return () => {
      stopped = true;
    };
  }, [table, arn, version]);

  return (
    <Section label="Tags" note="Key–value labels on the table, for cost allocation and access policies.">
      {readError ? <ErrorNotice error={readError} /> : null}
      {tags && tags.length > 0 ? (
        <table className="data-table tags-table" aria-label="Table tags">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tags.map((tag) => (
              <tr key={tag.Key} aria-label={`Tag ${tag.Key}`}>
                <td>
                  <code>{tag.Key}</code>
                </td>
                <td>
                  <code>{tag.Value}</code>
                </td>
                <td className="num">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove tag ${tag.Key}`}
                    disabled={action.busy}
                    onClick={() => void action.run(() => dynamo(table.connection.id, 'UntagResource', { ResourceArn: arn, TagKeys: [tag.Key] }, table.namespace))}
                  >
                    <Icon name="trash" size={14} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : tags ? (
        <p className="view-note">No tags.</p>
      ) : null}
      <form
        className="settings-form row"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            await dynamo(table.connection.id, 'TagResource', { ResourceArn: arn, Tags: [{ Key: key, Value: value }] }, table.namespace);
            setKey('');
            setValue('');
          });
        }}
      >
        <label className="inline-field">
          Key
          <input id={settingsControlId('tags')} aria-label="Tag key" value={key} spellCheck={false} onChange={(e) => setKey(e.target.value)} />
        </label>
        <label className="inline-field">
          Value
          <input aria-label="Tag value" value={value} spellCheck={false} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="submit" className="button" disabled={!arn || !key || action.busy}>
          <Icon name="plus" size={14} /> Add tag
        </button>
      </form>
      <ErrorNotice error={action.error} onDismiss={action.clearError} />
    </Section>
  );
}
