import { useState } from 'react';
import type { ConnectionInfo, NewRemoteConnection } from '../../../electron/contract.ts';
import { call } from '../../app/client.ts';
import { ErrorNotice, Field, Modal } from '../../shared/ui.tsx';

type TestState = { kind: 'idle' } | { kind: 'testing' } | { kind: 'ok'; latencyMs: number } | { kind: 'failed'; error: unknown };

/**
 * Adds a remote connection, or edits one (`existing`): AWS by profile or keys, or a custom endpoint
 * (DynamoDB Local, LocalStack, Alternator). "Test connection" tries the form as typed with one
 * ListTables before anything is saved. Saved keys never come back to the UI: when editing, empty
 * key fields keep them.
 */
export function ConnectionDialog({ existing, onClose, onSaved }: { existing?: ConnectionInfo; onClose(): void; onSaved(connection: ConnectionInfo): void }) {
  const [form, setForm] = useState<NewRemoteConnection>({
    name: existing?.name ?? '',
    region: existing?.region ?? 'us-east-1',
    endpointUrl: existing?.endpointUrl ?? '',
    profile: existing?.profile ?? '',
    accessKeyId: '',
    secretAccessKey: '',
  });
  const [clearCredentials, setClearCredentials] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const set = (field: keyof NewRemoteConnection) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setForm({ ...form, [field]: e.target.value });
    setTest({ kind: 'idle' });
  };
  const formId = existing ? 'edit-connection' : 'add-connection';

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSaved(existing ? await call('connections/update', { ...form, id: existing.id, clearCredentials }) : await call('connections/add', form));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const runTest = async () => {
    setTest({ kind: 'testing' });
    try {
      // Forgetting the saved keys is tried as such: the test must not borrow them.
      const { latencyMs } = await call('connections/test', { connection: form, ...(existing && !clearCredentials ? { id: existing.id } : {}) });
      setTest({ kind: 'ok', latencyMs });
    } catch (err) {
      setTest({ kind: 'failed', error: err });
    }
  };

  return (
    <Modal
      title={existing ? `Edit connection ${existing.name}` : 'Add connection'}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={() => void runTest()} disabled={test.kind === 'testing'}>
            {test.kind === 'testing' ? 'Testing…' : 'Test connection'}
          </button>
          <span className="toolbar-spacer" />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button primary" disabled={busy}>
            {existing ? 'Save connection' : 'Add connection'}
          </button>
        </>
      }
    >
      <form id={formId} className="form-grid" onSubmit={submit}>
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
          <input value={form.accessKeyId} onChange={set('accessKeyId')} autoComplete="off" placeholder={existing?.hasCredentials ? 'Saved; leave empty to keep' : ''} />
        </Field>
        <Field label="Secret access key" hint="Encrypted before it is saved (by your OS keychain in the desktop app); never stored as plain text.">
          <input type="password" value={form.secretAccessKey} onChange={set('secretAccessKey')} autoComplete="off" placeholder={existing?.hasCredentials ? 'Saved; leave empty to keep' : ''} />
        </Field>
        {existing?.hasCredentials ? (
          <label className="inline-field">
            <input type="checkbox" checked={clearCredentials} onChange={(e) => setClearCredentials(e.target.checked)} /> Forget the saved keys
          </label>
        ) : null}
      </form>
      {test.kind === 'ok' ? (
        <div className="info-notice" role="status">
          Connected: ListTables answered in {Math.round(test.latencyMs)} ms.
        </div>
      ) : null}
      {test.kind === 'failed' ? <ErrorNotice error={test.error} /> : null}
      <ErrorNotice error={error} />
    </Modal>
  );
}
