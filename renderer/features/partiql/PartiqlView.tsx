import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import type { CancellationReason, ConnectionInfo, Namespace } from '../../../electron/contract.ts';
import { call, dynamo, RequestError } from '../../app/client.ts';
import { namespaceLabel } from '../../app/selection.ts';
import { preview, type Item } from '../../shared/attributeValues.ts';
import { Icon } from '../../shared/icons.tsx';
import { CapacityCost } from '../../shared/CapacityCost.tsx';
import { addUnits, NO_UNITS, unitsOf, type CapacityUnits, type ConsumedCapacity } from '../../shared/capacityCost.ts';
import { ErrorNotice, Spinner } from '../../shared/ui.tsx';
import '../../shared/views.css';
import { ItemGrid, type GridColumnsState } from '../items/ItemGrid.tsx';
import { allKeyAttributes } from '../items/tableSchema.ts';
import { SavedMenu } from '../saved/SavedMenu.tsx';
import { useTableSchemas } from '../../shared/useTableSchemas.ts';
import { ExplainPanel, type ExplainState } from './ExplainPanel.tsx';
import type { ScriptMarker } from './PartiqlEditor.tsx';
import { setCompletionWords } from './partiqlLanguage.ts';
import { RUN_MODES, splitStatements, statementRequests, type ParameterInput, type ParameterType, type PartiqlBody, type RunMode, type Statement, type StatementRequest } from './partiqlScript.ts';
import './partiql.css';

const PartiqlEditor = lazy(() => import('./PartiqlEditor.tsx'));

const PARAMETER_TYPES: { id: ParameterType; label: string }[] = [
  { id: 'S', label: 'String' },
  { id: 'N', label: 'Number' },
  { id: 'BOOL', label: 'Boolean' },
  { id: 'NULL', label: 'Null' },
  { id: 'JSON', label: 'DynamoDB JSON' },
];
const EMPTY_COLUMNS: GridColumnsState = { visibility: {}, order: [], sizing: {} };
const countFormat = new Intl.NumberFormat();

/** What one statement of a batch or transaction came back with. */
interface StatementOutcome {
  error?: { Code: string; Message?: string };
  item?: Item;
}

type Results =
  | { kind: 'statement'; request: StatementRequest & { Limit?: number }; items: Item[]; attributes: string[]; nextToken?: string; consumed: CapacityUnits }
  | { kind: 'statements'; mode: Exclude<RunMode, 'ExecuteStatement'>; statements: Statement[]; outcomes: StatementOutcome[]; cancelled?: string; consumed?: CapacityUnits };

/**
 * A PartiQL editor per connection: highlighting and completion in Monaco, typed `?` parameters,
 * ExecuteStatement with NextToken paging, and a script of several statements run as
 * BatchExecuteStatement or ExecuteTransaction with each statement's error on the statement.
 */
export function PartiqlView({ connection, namespace, initial }: { connection: ConnectionInfo; namespace: Namespace | undefined; initial?: Partial<PartiqlBody> }) {
  const [script, setScript] = useState(initial?.script ?? '');
  /** Bumped when a saved script is opened, so the editor starts over with its text. */
  const [opened, setOpened] = useState(0);
  const [mode, setMode] = useState<RunMode>(initial?.mode && RUN_MODES.includes(initial.mode) ? initial.mode : 'ExecuteStatement');
  const [parameters, setParameters] = useState<ParameterInput[]>(initial?.parameters ?? []);
  const [limit, setLimit] = useState(initial?.limit ?? '');
  const [results, setResults] = useState<Results | null>(null);
  const [runError, setRunError] = useState<{ error: unknown; statement?: Statement } | null>(null);
  const [running, setRunning] = useState(false);
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [columns, setColumns] = useState<GridColumnsState>(EMPTY_COLUMNS);
  const [explained, setExplained] = useState<ExplainState | null>(null);
  // An explanation describes the text it was asked about; an edit makes it stale.
  useEffect(() => setExplained(null), [script]);

  const statements = useMemo(() => splitStatements(script), [script]);
  const parameterCount = statements.reduce((n, s) => n + s.parameters.length, 0);
  const schemas = useTableSchemas(connection, namespace, 'all');

  // Completion offers the tables, their indexes and every attribute seen (keys and results).
  useEffect(() => {
    const tables = schemas.tableNames ?? [];
    const indexes: Record<string, string[]> = {};
    const attributes = new Set<string>();
    for (const [name, description] of Object.entries(schemas.descriptions)) {
      indexes[name] = [...(description.GlobalSecondaryIndexes ?? []), ...(description.LocalSecondaryIndexes ?? [])].map((i) => i.IndexName);
      for (const key of allKeyAttributes(description)) attributes.add(key);
    }
    if (results?.kind === 'statement') for (const name of results.attributes) attributes.add(name);
    setCompletionWords({ tables, indexes, attributes: [...attributes] });
  }, [schemas.tableNames, schemas.descriptions, results]);

  // One input per `?`, kept by position as the script changes.
  useEffect(() => {
    setParameters((current) =>
      current.length === parameterCount ? current : Array.from({ length: parameterCount }, (_, i) => current[i] ?? { type: 'S', value: '' }),
    );
  }, [parameterCount]);

  const built = useMemo((): { requests: StatementRequest[] } | { problem: string } => {
    if (statements.length === 0) return { problem: 'Write a statement to run.' };
    if (mode === 'ExecuteStatement' && statements.length > 1) {
      return { problem: `ExecuteStatement runs one statement; run these ${statements.length} as BatchExecuteStatement or ExecuteTransaction.` };
    }
    try {
      return { requests: statementRequests(statements, parameters) };
    } catch (error) {
      return { problem: (error as Error).message };
    }
  }, [statements, parameters, mode]);

  const limitValue = limit.trim() ? Number(limit) : undefined;
  const limitProblem = limitValue !== undefined && (!Number.isInteger(limitValue) || limitValue < 1) ? 'Limit must be a whole number of at least 1' : undefined;
  const problem = 'problem' in built ? built.problem : limitProblem;

  const runStatement = async (request: StatementRequest & { Limit?: number }, previous?: Extract<Results, { kind: 'statement' }>) => {
    const output = await dynamo<{ Items?: Item[]; NextToken?: string; ConsumedCapacity?: ConsumedCapacity }>(
      connection.id,
      'ExecuteStatement',
      { ...request, ReturnConsumedCapacity: 'TOTAL', ...(previous?.nextToken ? { NextToken: previous.nextToken } : {}) },
      namespace,
    );
    const page = output.Items ?? [];
    const attributes = [...(previous?.attributes ?? [])];
    const seen = new Set(attributes);
    for (const item of page) {
      for (const name in item) {
        if (seen.has(name)) continue;
        seen.add(name);
        attributes.push(name);
      }
    }
    setResults({
      kind: 'statement',
      request,
      items: previous ? previous.items.concat(page) : page,
      attributes,
      ...(output.NextToken ? { nextToken: output.NextToken } : {}),
      consumed: addUnits(previous?.consumed ?? NO_UNITS, unitsOf(output.ConsumedCapacity, accessKind(request.Statement))),
    });
    if (!previous) setSelection(new Set());
  };

  const runStatements = async (requests: StatementRequest[], runMode: Exclude<RunMode, 'ExecuteStatement'>) => {
    const sentStatements = statements;
    if (runMode === 'BatchExecuteStatement') {
      const output = await dynamo<{ Responses?: { Error?: { Code: string; Message?: string }; Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }>(
        connection.id,
        'BatchExecuteStatement',
        { Statements: requests, ReturnConsumedCapacity: 'TOTAL' },
        namespace,
      );
      const outcomes = (output.Responses ?? []).map((r) => ({ ...(r.Error ? { error: r.Error } : {}), ...(r.Item ? { item: r.Item } : {}) }));
      setResults({ kind: 'statements', mode: runMode, statements: sentStatements, outcomes, consumed: unitsOf(output.ConsumedCapacity, accessKind(requests[0]!.Statement)) });
      return;
    }
    try {
      const output = await dynamo<{ Responses?: { Item?: Item }[]; ConsumedCapacity?: ConsumedCapacity[] }>(
        connection.id,
        'ExecuteTransaction',
        { TransactStatements: requests, ReturnConsumedCapacity: 'TOTAL' },
        namespace,
      );
      const outcomes = sentStatements.map((_, i) => (output.Responses?.[i]?.Item ? { item: output.Responses[i]!.Item! } : {}));
      setResults({ kind: 'statements', mode: runMode, statements: sentStatements, outcomes, consumed: unitsOf(output.ConsumedCapacity, 'write') });
    } catch (error) {
      if (!(error instanceof RequestError && error.cancellationReasons)) throw error;
      const outcomes = error.cancellationReasons.map((r: CancellationReason) => (r.Code === 'None' ? {} : { error: { Code: r.Code, ...(r.Message ? { Message: r.Message } : {}) }, ...(r.Item ? { item: r.Item } : {}) }));
      setResults({ kind: 'statements', mode: runMode, statements: sentStatements, outcomes, cancelled: error.message });
    }
  };

  const run = async () => {
    if (!('requests' in built) || limitProblem) return;
    setRunning(true);
    setRunError(null);
    try {
      if (mode === 'ExecuteStatement') await runStatement({ ...built.requests[0]!, ...(limitValue ? { Limit: limitValue } : {}) });
      else await runStatements(built.requests, mode);
    } catch (error) {
      setResults(null);
      setRunError({ error, ...(mode === 'ExecuteStatement' || statements.length === 1 ? { statement: statements[0] } : {}) });
    } finally {
      setRunning(false);
    }
  };

  /** Asks the engine's planner how the first statement would run; unfilled parameters do not matter to it. */
  const explain = async () => {
    const first = statements[0];
    if (!first) return;
    setRunError(null);
    if (!connection.capabilities.partiqlExplain) {
      setExplained({ kind: 'unavailable' });
      return;
    }
    const parameters = 'requests' in built ? built.requests[0]?.Parameters : undefined;
    try {
      const explanation = await call('partiql/explain', {
        connectionId: connection.id,
        statement: first.text,
        ...(parameters ? { parameters } : {}),
        ...(namespace ? { namespace } : {}),
      });
      setExplained({ kind: 'explained', explanation });
    } catch (error) {
      setExplained(null);
      setRunError({ error, statement: first });
    }
  };

  const loadMore = async () => {
    if (results?.kind !== 'statement' || !results.nextToken) return;
    setRunning(true);
    try {
      await runStatement(results.request, results);
    } catch (error) {
      setRunError({ error });
    } finally {
      setRunning(false);
    }
  };

  const markers = useMemo((): ScriptMarker[] => {
    if (runError?.statement) return [{ start: runError.statement.start, end: runError.statement.end, message: runError.error instanceof Error ? runError.error.message : String(runError.error) }];
    if (results?.kind !== 'statements') return [];
    return results.statements.flatMap((s, i) => {
      const error = results.outcomes[i]?.error;
      return error ? [{ start: s.start, end: s.end, message: `${error.Code}: ${error.Message ?? ''}` }] : [];
    });
  }, [runError, results]);

  const rowIds = useMemo(() => new Map(results?.kind === 'statement' ? results.items.map((item, i) => [item, String(i)]) : []), [results]);
  let parameterIndex = 0;

  return (
    <section className="partiql-view" aria-label="PartiQL editor">
      <header className="view-header">
        <div className="view-title">
          <h1>PartiQL</h1>
          <span className="view-subtitle">
            {connection.name}
            {namespace && connection.capabilities.namespaces ? ` · ${namespaceLabel(namespace)}` : ''}
          </span>
        </div>
      </header>
      <div className="toolbar" role="toolbar" aria-label="PartiQL">
        <div className="segmented" role="radiogroup" aria-label="Run as">
          {RUN_MODES.map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'on' : ''} onClick={() => setMode(m)}>
              {m}
            </button>
          ))}
        </div>
        {mode === 'ExecuteStatement' ? (
          <label className="inline-field">
            <span>Limit</span>
            <input aria-label="Limit" inputMode="numeric" placeholder="none" value={limit} onChange={(e) => setLimit(e.target.value)} size={6} />
          </label>
        ) : null}
        <span className="toolbar-spacer" />
        {problem ? <span className="form-problem">{problem}</span> : null}
        <span className="form-problem">{statements.length} {statements.length === 1 ? 'statement' : 'statements'}</span>
        <SavedMenu
          kind="partiql"
          connection={connection}
          namespace={namespace}
          current={() => ({ script, mode, parameters, limit }) satisfies PartiqlBody}
          onOpen={(body) => {
            const saved = body as Partial<PartiqlBody>;
            setScript(saved.script ?? '');
            setMode(saved.mode && RUN_MODES.includes(saved.mode) ? saved.mode : 'ExecuteStatement');
            setParameters(saved.parameters ?? []);
            setLimit(saved.limit ?? '');
            setResults(null);
            setRunError(null);
            setOpened((n) => n + 1);
          }}
        />
        <button type="button" className="button" onClick={() => void explain()} disabled={statements.length === 0} title="How the statement would run, before running it">
          Explain
        </button>
        <button type="button" className="button primary" onClick={() => void run()} disabled={Boolean(problem) || running} title="Ctrl+Enter in the editor">
          <Icon name="play" size={13} /> Run {mode}
        </button>
      </div>

      <div className="partiql-top">
        <div className="editor-host partiql-editor">
          <Suspense
            fallback={
              <div className="editor-loading">
                <Spinner label="Loading editor" /> Loading editor…
              </div>
            }
          >
            <PartiqlEditor key={opened} initialValue={script} onChange={setScript} onRun={() => void run()} markers={markers} />
          </Suspense>
        </div>
        {parameterCount ? (
          <div className="partiql-parameters" role="group" aria-label="Parameters">
            <h2>Parameters</h2>
            {statements.map((statement, s) =>
              statement.parameters.map((_, p) => {
                const index = parameterIndex++;
                const input = parameters[index] ?? { type: 'S' as const, value: '' };
                const set = (patch: Partial<ParameterInput>) => setParameters((all) => all.map((x, i) => (i === index ? { ...x, ...patch } : x)));
                return (
                  <div key={index} className="query-row" role="group" aria-label={`Parameter ${index + 1}`}>
                    <span className="row-label" title={statements.length > 1 ? `Statement ${s + 1}, parameter ${p + 1}` : undefined}>
                      ?{index + 1}
                    </span>
                    <select aria-label="Parameter type" value={input.type} onChange={(e) => set({ type: e.target.value as ParameterType })}>
                      {PARAMETER_TYPES.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.label}
                        </option>
                      ))}
                    </select>
                    {input.type !== 'NULL' ? (
                      <input aria-label="Parameter value" value={input.value} placeholder={input.type === 'JSON' ? '{"SS": ["a"]}' : 'value'} onChange={(e) => set({ value: e.target.value })} size={18} />
                    ) : null}
                  </div>
                );
              }),
            )}
          </div>
        ) : null}
      </div>

      <div className="partiql-results">
        {explained ? <ExplainPanel state={explained} onDismiss={() => setExplained(null)} /> : null}
        {runError ? <ErrorNotice error={runError.error} onDismiss={() => setRunError(null)} /> : null}
        {results?.kind === 'statement' ? (
          <>
            <ItemGrid
              label="PartiQL results"
              items={results.items}
              attributes={results.attributes}
              keyAttributes={[]}
              getRowId={(item) => rowIds.get(item) ?? ''}
              selection={selection}
              onSelectionChange={setSelection}
              onOpen={() => undefined}
              onNearEnd={() => undefined}
              columns={columns}
              onColumnsChange={setColumns}
              footer={
                results.nextToken ? (
                  <div className="grid-more">
                    More results available.{' '}
                    <button type="button" className="link-button" disabled={running} onClick={() => void loadMore()}>
                      Load more
                    </button>
                  </div>
                ) : results.items.length ? (
                  <div className="grid-more done">End of results.</div>
                ) : null
              }
            />
            <footer className="status-bar" aria-label="PartiQL status">
              <span>
                <strong>{countFormat.format(results.items.length)}</strong> {results.items.length === 1 ? 'item' : 'items'}
              </span>
              <CapacityCost units={results.consumed} />
              {results.nextToken ? <span className="status-more">More available</span> : <span>End of results</span>}
              <span className="toolbar-spacer" />
              {running ? <Spinner label="Running" /> : null}
            </footer>
          </>
        ) : results?.kind === 'statements' ? (
          <StatementOutcomes results={results} />
        ) : (
          <div className="empty-state muted">{running ? <Spinner label="Running" /> : <p>Write PartiQL above (Ctrl+Space completes table, index and attribute names) and run it.</p>}</div>
        )}
      </div>
    </section>
  );
}

function StatementOutcomes({ results }: { results: Extract<Results, { kind: 'statements' }> }) {
  return (
    <div className="partiql-outcomes">
      <div className={`outcome-banner ${results.cancelled ? 'cancelled' : 'committed'}`} role="status" aria-label="PartiQL outcome">
        <div className="outcome-head">
          <strong>{results.cancelled ? 'Cancelled' : results.mode === 'ExecuteTransaction' ? 'Committed' : 'Batch run'}</strong>
          <span className="outcome-text">
            {results.cancelled ? `${results.cancelled}. Nothing was applied.` : `${results.statements.length} statements`}
          </span>
          {results.consumed ? <CapacityCost units={results.consumed} /> : null}
        </div>
      </div>
      <ol className="partiql-statements" aria-label="Statements">
        {results.statements.map((statement, i) => {
          const outcome = results.outcomes[i] ?? {};
          return (
            <li key={i} className={outcome.error ? 'failed' : ''} aria-label={`Statement ${i + 1}`}>
              <code className="partiql-statement-text">{statement.text}</code>
              {outcome.error ? (
                <div className="reason-note" role="note" aria-label={`Why statement ${i + 1} failed`}>
                  <strong>{outcome.error.Code}</strong>
                  {outcome.error.Message ? <span>{outcome.error.Message}</span> : null}
                </div>
              ) : (
                <span className="badge ok">{results.cancelled ? 'None' : 'OK'}</span>
              )}
              {outcome.item ? (
                <div className="partiql-item mono">
                  {Object.entries(outcome.item)
                    .map(([name, value]) => `${name}: ${preview(value, 40)}`)
                    .join(', ')}
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** A SELECT reads; INSERT, UPDATE and DELETE write (a batch holds only one kind, as DynamoDB requires). */
function accessKind(statement: string): 'read' | 'write' {
  return /^\s*SELECT\b/i.test(statement) ? 'read' : 'write';
}
