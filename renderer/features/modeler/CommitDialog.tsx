import { useEffect, useMemo, useState } from 'react';
import type { DataModel, ModelCommitResult, Namespace, TableCommitPlan } from '../../../electron/contract.ts';
import { api, call } from '../../app/client.ts';
import { generateSampleItems } from '../../shared/modeler/sampleData.ts';
import { ErrorNotice, Modal, Spinner } from '../../shared/ui.tsx';

/**
 * Commits a saved model to the connection: the plan first (what is created, what exists), sample
 * data as an option, and each existing table the commit would change typed out by name.
 */
export function CommitDialog({ model, modelId, target, seed, onClose, onCommitted }: { model: DataModel; modelId: string; target: { connectionId: string; namespace?: Namespace }; seed: number; onClose(): void; onCommitted(): void }) {
  const [plan, setPlan] = useState<TableCommitPlan[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [withSamples, setWithSamples] = useState(true);
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [progress, setProgress] = useState<{ taskId: string; done: number; total: number } | null>(null);
  const [result, setResult] = useState<ModelCommitResult | null>(null);

  useEffect(() => {
    call('models/plan', { ...target, modelId }).then(setPlan, setError);
    // The plan is for the model as saved when the dialog opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const sampleCount = useMemo(() => {
    try {
      return model.tables.reduce((n, t) => n + generateSampleItems(t, { seed }).length, 0);
    } catch {
      return 0;
    }
  }, [model, seed]);
  const touched = (plan ?? []).filter((p) => p.exists && p.conflicts.length === 0 && (p.missingIndexes.length > 0 || withSamples));
  const conflicts = (plan ?? []).flatMap((p) => p.conflicts.map((c) => `${p.tableName}: ${c}`));
  const confirmed = touched.every((p) => typed[p.tableName] === p.tableName);

  const commit = async () => {
    const taskId = crypto.randomUUID();
    setError(null);
    setProgress({ taskId, done: 0, total: withSamples ? sampleCount : 0 });
    const off = api.on('task/progress', (p) => {
      if (p.taskId === taskId) setProgress({ taskId, done: p.done, total: p.total });
    });
    try {
      const committed = await call('models/commit', { ...target, modelId, taskId, confirmTables: touched.map((p) => p.tableName), ...(withSamples ? { sampleData: { seed } } : {}) });
      setResult(committed);
      onCommitted();
    } catch (failure) {
      setError(failure);
    } finally {
      off();
      setProgress(null);
    }
  };

  return (
    <Modal
      title={`Commit ${model.name}`}
      onClose={onClose}
      footer={
        result ? (
          // Keyed apart from Cancel, so a late click on Cancel does not close the result unread.
          <button key="done" type="button" className="button primary" onClick={onClose}>
            Done
          </button>
        ) : progress ? (
          <button key="cancel" type="button" className="button" onClick={() => void call('tasks/cancel', { taskId: progress.taskId })}>
            Cancel
          </button>
        ) : (
          <>
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
            <button type="button" className="button primary" disabled={!plan || conflicts.length > 0 || !confirmed} onClick={() => void commit()}>
              Commit
            </button>
          </>
        )
      }
    >
      {!plan && !error ? <Spinner label="Looking at the connection" /> : null}
      {plan ? (
        <ul className="commit-plan" aria-label="Commit plan">
          {plan.map((p) => (
            <li key={p.tableName}>
              <strong>{p.tableName}</strong>{' '}
              {p.conflicts.length ? (
                <span className="run-error">{p.conflicts.join('; ')}</span>
              ) : !p.exists ? (
                'will be created'
              ) : p.missingIndexes.length ? (
                `exists; ${p.missingIndexes.join(', ')} will be added`
              ) : (
                'exists with every index'
              )}
            </li>
          ))}
        </ul>
      ) : null}
      <label className="checkbox">
        <input type="checkbox" checked={withSamples} disabled={Boolean(progress || result)} onChange={(e) => setWithSamples(e.target.checked)} /> Write sample data: {sampleCount} items (seed {seed}) with BatchWriteItem
      </label>
      {touched.map((p) => (
        <label key={p.tableName} className="field confirm-table">
          <span className="field-label">
            {p.tableName} already exists. Type its name to let the commit {p.missingIndexes.length ? 'add indexes' : ''}
            {p.missingIndexes.length && withSamples ? ' and ' : ''}
            {withSamples ? 'write items' : ''} there:
          </span>
          <input aria-label={`Type ${p.tableName} to confirm`} value={typed[p.tableName] ?? ''} autoComplete="off" onChange={(e) => setTyped({ ...typed, [p.tableName]: e.target.value })} />
        </label>
      ))}
      {progress ? (
        <div className="commit-progress" role="status">
          <progress max={Math.max(1, progress.total)} value={progress.done} aria-label="Writing sample data" /> {progress.done} of {progress.total} items written
        </div>
      ) : null}
      {result ? (
        <p role="status" aria-label="Commit result">
          {result.cancelled ? 'Cancelled. ' : 'Committed. '}
          {result.createdTables.length ? `Created ${result.createdTables.join(', ')}. ` : ''}
          {result.addedIndexes.length ? `Added ${result.addedIndexes.join(', ')}. ` : ''}
          Wrote {result.itemsWritten} items.
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
    </Modal>
  );
}
