import { useState, type ReactNode } from 'react';
import { ErrorNotice, Field, Modal } from './ui.tsx';

/**
 * A destructive action that cannot be undone: the user types the resource's name to enable the
 * button. Runs `action`, shows its error in place, and calls `onDone` when it succeeds.
 */
export function TypedConfirmDialog({
  formId,
  title,
  name,
  actionLabel,
  children,
  action,
  onClose,
  onDone,
  errorHelp,
}: {
  formId: string;
  title: string;
  /** What the user must type. */
  name: string;
  actionLabel: string;
  /** The explanation shown above the confirmation field. */
  children: ReactNode;
  action(): Promise<unknown>;
  onClose(): void;
  onDone(): void;
  /** What the user can do about a failure (a link to the setting in the way), shown below it. */
  errorHelp?(error: unknown): ReactNode;
}) {
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const matches = typed === name;

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    if (!matches) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form={formId} className="button danger" disabled={!matches || busy}>
            {busy ? 'Deleting…' : actionLabel}
          </button>
        </>
      }
    >
      <form id={formId} onSubmit={(e) => void submit(e)}>
        <p>{children}</p>
        <Field label={`Type ${name} to confirm`}>
          <input autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
      </form>
      <ErrorNotice error={error} />
      {error && errorHelp ? errorHelp(error) : null}
    </Modal>
  );
}
