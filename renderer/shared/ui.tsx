import { useEffect, useId, useRef, type ReactNode } from 'react';
import { RequestError } from '../app/client.ts';
import { plainWords } from './errors.ts';
import { Icon } from './icons.tsx';

/**
 * A modal built on <dialog>: the browser supplies focus trapping, Escape to close, the dialog role
 * and an inert page behind it.
 */
export function Modal({
  title,
  onClose,
  children,
  footer,
  wide,
  className,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  className?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal-wide' : ''}${className ? ' ' + className : ''}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="modal-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="modal-body">{children}</div>
      {footer ? <footer className="modal-footer">{footer}</footer> : null}
    </dialog>
  );
}

/**
 * An error shown where it happened: plain words first, then DynamoDB's own message, word for word.
 * `lead` replaces the code's usual plain words where the caller knows better what happened.
 */
export function ErrorNotice({ error, onDismiss, lead: leadOverride }: { error: unknown; onDismiss?: () => void; lead?: string }) {
  if (!error) return null;
  const code = error instanceof RequestError ? error.code : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const lead = leadOverride ?? (error instanceof RequestError ? plainWords(code) : '');
  return (
    <div className="error-notice" role="alert">
      <Icon name="alert" />
      <div className="error-text">
        {lead ? <strong>{lead}</strong> : null}
        <span className="error-message">
          {message ? message : code}
          {error instanceof RequestError ? <code className="error-code">{code}</code> : null}
        </span>
      </div>
      {onDismiss ? (
        <button type="button" className="icon-button" aria-label="Dismiss error" onClick={onDismiss}>
          <Icon name="close" size={14} />
        </button>
      ) : null}
    </div>
  );
}

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function Kbd({ keys }: { keys: string }) {
  return (
    <span className="kbd-group">
      {keys.split('+').map((k) => (
        <kbd key={k}>{k}</kbd>
      ))}
    </span>
  );
}

export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
export const MOD = isMac ? '⌘' : 'Ctrl';

export function Field({ label, children, hint }: { label: string; children: ReactNode; hint?: string }) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}

/** A byte count for people: B, KB, MB or GB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}
