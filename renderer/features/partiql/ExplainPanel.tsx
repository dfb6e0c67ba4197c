import type { PartiqlExplanation } from '../../../electron/contract.ts';

const countFormat = new Intl.NumberFormat();

/** What each access path means for the user, in the words of DynamoDB's cost model. */
const ACCESS_TEXT: Record<PartiqlExplanation['access'], string> = {
  GetItem: 'Key lookup: one item read by its whole primary key.',
  Query: 'Query: reads one partition, in sort-key order.',
  Scan: 'Full Scan: reads every item, then filters.',
  PutItem: 'PutItem: writes one item if its key is new.',
  UpdateItem: 'UpdateItem: changes one existing item by its key.',
  DeleteItem: 'DeleteItem: removes one item by its key.',
};

export type ExplainState = { kind: 'explained'; explanation: PartiqlExplanation } | { kind: 'unavailable' };

/** The planner's verdict on the statement, shown above the results before it runs. */
export function ExplainPanel({ state, onDismiss }: { state: ExplainState; onDismiss: () => void }) {
  if (state.kind === 'unavailable') {
    return (
      <div className="explain-panel" role="status" aria-label="Explain">
        <span>Explain is only available for the local engine: it asks the engine's own PartiQL planner, which a remote endpoint does not expose.</span>
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    );
  }
  const { explanation } = state;
  const target = explanation.indexName ? `index ${explanation.indexName} of ${explanation.tableName}` : `table ${explanation.tableName}`;
  return (
    <div className={`explain-panel${explanation.warning ? ' warning' : ''}`} role="status" aria-label="Explain">
      <span className="badge" data-access={explanation.access}>
        {explanation.access}
      </span>
      <span>
        {ACCESS_TEXT[explanation.access]} On {target}.
      </span>
      {explanation.estimatedItemsRead !== undefined ? (
        <span className="explain-estimate">
          Estimated items read: <strong>{countFormat.format(explanation.estimatedItemsRead)}</strong>
        </span>
      ) : null}
      {explanation.warning ? (
        <span className="explain-warning" role="alert">
          {explanation.warning}
        </span>
      ) : null}
      {explanation.request ? <code className="explain-request">{JSON.stringify(explanation.request)}</code> : null}
      <button type="button" className="link-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  );
}
