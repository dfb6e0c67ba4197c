import { useState } from 'react';
import type { ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { dynamo, RequestError } from '../../app/client.ts';
import { namespaceLabel } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';
import {
  emptyForm,
  emptyIndex,
  toCreateTableInput,
  toTimeToLiveInput,
  type CreateTableForm,
  type IndexForm,
  type KeyField,
} from './createTableInput.ts';

export function CreateTableDialog({
  connection,
  namespace,
  onClose,
  onCreated,
}: {
  connection: ConnectionInfo;
  namespace: Namespace | undefined;
  onClose(): void;
  onCreated(tableName: string): void;
}) {
  const [form, setForm] = useState<CreateTableForm>(emptyForm);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const update = (patch: Partial<CreateTableForm>) => setForm((f) => ({ ...f, ...patch }));
  const provisioned = form.billingMode === 'PROVISIONED';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await dynamo(connection.id, 'CreateTable', toCreateTableInput(form), namespace);
      const ttl = toTimeToLiveInput(form);
      if (ttl) {
        try {
          await dynamo(connection.id, 'UpdateTimeToLive', ttl, namespace);
        } catch (ttlError) {
          // The table exists; say plainly that only the TTL step failed.
          const message = ttlError instanceof Error ? ttlError.message : String(ttlError);
          const code = ttlError instanceof RequestError ? ttlError.code : 'Error';
          setError(new RequestError(code, `The table was created, but turning on TTL failed: ${message}`));
          onCreated(form.tableName.trim());
          return;
        }
      }
      onCreated(form.tableName.trim());
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const where = connection.capabilities.namespaces && namespace ? `${connection.name} · ${namespaceLabel(namespace)}` : connection.name;

  return (
    <Modal
      title="Create table"
      wide
      onClose={onClose}
      footer={
        <>
          <span className="footer-note">In {where}</span>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="create-table" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create table'}
          </button>
        </>
      }
    >
      <form id="create-table" className="create-table" onSubmit={submit}>
        <div className="form-grid">
          <Field label="Table name">
            <input required autoFocus value={form.tableName} onChange={(e) => update({ tableName: e.target.value })} placeholder="Orders" />
          </Field>
          <div />
          <KeyInputs label="Partition key" value={form.partitionKey} required onChange={(partitionKey) => update({ partitionKey })} />
          <KeyInputs label="Sort key (optional)" value={form.sortKey} onChange={(sortKey) => update({ sortKey })} />
        </div>

        <fieldset className="fieldset">
          <legend>Capacity</legend>
          <div className="form-row">
            <label className="radio">
              <input type="radio" name="billing" checked={!provisioned} onChange={() => update({ billingMode: 'PAY_PER_REQUEST' })} /> On-demand
            </label>
            <label className="radio">
              <input type="radio" name="billing" checked={provisioned} onChange={() => update({ billingMode: 'PROVISIONED' })} /> Provisioned
            </label>
            {provisioned ? (
              <>
                <Field label="Read capacity units">
                  <input type="number" min={1} value={form.readCapacity} onChange={(e) => update({ readCapacity: Number(e.target.value) })} />
                </Field>
                <Field label="Write capacity units">
                  <input type="number" min={1} value={form.writeCapacity} onChange={(e) => update({ writeCapacity: Number(e.target.value) })} />
                </Field>
              </>
            ) : null}
          </div>
        </fieldset>

        <IndexList
          kind="global"
          title="Global secondary indexes"
          indexes={form.globalIndexes}
          provisioned={provisioned}
          onChange={(globalIndexes) => update({ globalIndexes })}
        />
        <IndexList kind="local" title="Local secondary indexes" indexes={form.localIndexes} provisioned={false} onChange={(localIndexes) => update({ localIndexes })} />

        <fieldset className="fieldset">
          <legend>More settings</legend>
          <div className="form-grid three">
            <Field label="TTL attribute" hint="Items expire at this epoch-seconds time">
              <input value={form.ttlAttribute} onChange={(e) => update({ ttlAttribute: e.target.value })} placeholder="expiresAt" />
            </Field>
            <Field label="Stream">
              <select value={form.streamView} onChange={(e) => update({ streamView: e.target.value as CreateTableForm['streamView'] })}>
                <option value="">Off</option>
                <option value="KEYS_ONLY">Keys only</option>
                <option value="NEW_IMAGE">New image</option>
                <option value="OLD_IMAGE">Old image</option>
                <option value="NEW_AND_OLD_IMAGES">New and old images</option>
              </select>
            </Field>
            <label className="checkbox">
              <input type="checkbox" checked={form.deletionProtection} onChange={(e) => update({ deletionProtection: e.target.checked })} /> Deletion protection
            </label>
          </div>
        </fieldset>
      </form>
      <ErrorNotice error={error} onDismiss={() => setError(null)} />
    </Modal>
  );
}

function KeyInputs({ label, value, onChange, required }: { label: string; value: KeyField; onChange(value: KeyField): void; required?: boolean }) {
  return (
    <div className="key-inputs">
      <Field label={label}>
        <input required={required} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} placeholder={required ? 'pk' : 'sk'} />
      </Field>
      <Field label={`${label.replace(' (optional)', '')} type`}>
        <select value={value.type} onChange={(e) => onChange({ ...value, type: e.target.value as KeyField['type'] })}>
          <option value="S">String</option>
          <option value="N">Number</option>
          <option value="B">Binary</option>
        </select>
      </Field>
    </div>
  );
}

function IndexList({
  kind,
  title,
  indexes,
  provisioned,
  onChange,
}: {
  kind: 'global' | 'local';
  title: string;
  indexes: IndexForm[];
  provisioned: boolean;
  onChange(indexes: IndexForm[]): void;
}) {
  const patch = (i: number, value: Partial<IndexForm>) => onChange(indexes.map((x, j) => (j === i ? { ...x, ...value } : x)));
  const noun = kind === 'global' ? 'global index' : 'local index';
  return (
    <fieldset className="fieldset">
      <legend>{title}</legend>
      {indexes.map((index, i) => (
        <div className="index-card" key={i} role="group" aria-label={`${noun} ${i + 1}`}>
          <div className="form-grid three">
            <Field label="Index name">
              <input required value={index.name} onChange={(e) => patch(i, { name: e.target.value })} />
            </Field>
            {kind === 'global' ? (
              <KeyInputs label="Index partition key" required value={index.partitionKey} onChange={(partitionKey) => patch(i, { partitionKey })} />
            ) : null}
            <KeyInputs label={kind === 'global' ? 'Index sort key (optional)' : 'Index sort key'} required={kind === 'local'} value={index.sortKey} onChange={(sortKey) => patch(i, { sortKey })} />
            <Field label="Projection">
              <select value={index.projection} onChange={(e) => patch(i, { projection: e.target.value as IndexForm['projection'] })}>
                <option value="ALL">All attributes</option>
                <option value="KEYS_ONLY">Keys only</option>
                <option value="INCLUDE">Keys and chosen attributes</option>
              </select>
            </Field>
            {index.projection === 'INCLUDE' ? (
              <Field label="Projected attributes" hint="Comma-separated">
                <input value={index.nonKeyAttributes} onChange={(e) => patch(i, { nonKeyAttributes: e.target.value })} />
              </Field>
            ) : null}
            {provisioned ? (
              <>
                <Field label="Index read capacity">
                  <input type="number" min={1} value={index.readCapacity} onChange={(e) => patch(i, { readCapacity: Number(e.target.value) })} />
                </Field>
                <Field label="Index write capacity">
                  <input type="number" min={1} value={index.writeCapacity} onChange={(e) => patch(i, { writeCapacity: Number(e.target.value) })} />
                </Field>
              </>
            ) : null}
          </div>
          <button type="button" className="button subtle" onClick={() => onChange(indexes.filter((_, j) => j !== i))} aria-label={`Remove ${noun} ${index.name || i + 1}`}>
            <Icon name="trash" size={14} /> Remove
          </button>
        </div>
      ))}
      <button type="button" className="button subtle" onClick={() => onChange([...indexes, emptyIndex(kind, indexes.length)])}>
        <Icon name="plus" size={14} /> Add {noun}
      </button>
    </fieldset>
  );
}
