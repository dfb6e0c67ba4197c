import { useState } from 'react';
import type { ConnectionInfo, NewRemoteConnection } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';

/** Adds a remote connection: AWS by profile or keys, or a custom endpoint (DynamoDB Local, LocalStack, Alternator). */
export function AddConnectionDialog({ onClose, onAdded }: { onClose(): void; onAdded(connection: ConnectionInfo): void }) {
  const [form, setForm] = useState<NewRemoteConnection>({ name: '', region: 'us-east-1', endpointUrl: '', profile: '', accessKeyId: '', secretAccessKey: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (field: keyof NewRemoteConnection) => (e: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [field]: e.target.value });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onAdded(await call('connections/add', form));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="Add connection"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="add-connection" className="button primary" disabled={busy}>
            Add connection
          </button>
        </>
      }
    >
      <form id="add-connection" className="form-grid" onSubmit={submit}>
        <Field label="Name">
          <input required value={form.name} onChange={set('name')} placeholder="Staging, DynamoDB Local…" autoFocus />
        </Field>
        <Field label="Region">
          <input required value={form.region} onChange={set('region')} placeholder="us-east-1" />
        </Field>
        <Field label="Endpoint URL" hint="Leave empty for AWS. For DynamoDB Local, LocalStack or Alternator, e.g. http://localhost:8000">
          <input value={form.endpointUrl} onChange={set('endpointUrl')} placeholder="https://dynamodb.us-east-1.amazonaws.com" />
        </Field>
        <Field label="AWS profile" hint="From ~/.aws/config and ~/.aws/credentials">
          <input value={form.profile} onChange={set('profile')} placeholder="default" />
        </Field>
        <Field label="Access key ID">
          <input value={form.accessKeyId} onChange={set('accessKeyId')} autoComplete="off" />
        </Field>
        <Field label="Secret access key" hint="Kept in memory, or encrypted by your OS keychain in the desktop app; never saved as plain text.">
          <input type="password" value={form.secretAccessKey} onChange={set('secretAccessKey')} autoComplete="off" />
        </Field>
      </form>
      <ErrorNotice error={error} />
    </Modal>
  );
}
