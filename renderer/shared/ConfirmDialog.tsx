import type { ReactNode } from 'react';
import { Modal } from './ui.tsx';

/** The app's own yes/no question, in place of window.confirm (which blocks the page and cannot be styled or tested). */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: { title: string; children: ReactNode; confirmLabel: string; onConfirm(): void; onClose(): void }) {
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={onConfirm} autoFocus>
            {confirmLabel}
          </button>
        </>
      }
    >
      <p>{children}</p>
    </Modal>
  );
}
