import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AccessPatternRun, ConnectionInfo, DataModel, ModelTable, Namespace, SavedModel } from '../../../electron/contract.ts';
import { api, call } from '../../app/client.ts';
import { namespaceLabel } from '../../app/selection.ts';
import { Icon } from '../../shared/icons.tsx';
import { BUILTIN_MODELS } from '../../shared/modeler/builtinModels.ts';
import { checkModel, emptyModel, emptyTable, exportModel } from '../../shared/modeler/document.ts';
import { generateSampleItems, type SampleItem } from '../../shared/modeler/sampleData.ts';
import { exportWorkbenchModel, importModelFile } from '../../shared/modeler/workbenchImport.ts';
import { ErrorNotice } from '../../shared/ui.tsx';
import '../../shared/views.css';
import { AccessPatternBoard } from './AccessPatternBoard.tsx';
import { CodeView } from './CodeView.tsx';
import { CommitDialog } from './CommitDialog.tsx';
import { EntitiesEditor } from './EntitiesEditor.tsx';
import { AggregateView, FacetsView, SamplePreview } from './ModelViews.tsx';
import { ReverseDialog } from './ReverseDialog.tsx';
import './modeler.css';

const VIEWS = [
  ['entities', 'Entities'],
  ['patterns', 'Access patterns'],
  ['facets', 'Facets'],
  ['aggregate', 'Aggregate view'],
  ['sample', 'Sample data'],
  ['code', 'Code'],
] as const;
type View = (typeof VIEWS)[number][0];

function newModel(): DataModel {
  const model = emptyModel('Untitled model');
  model.tables.push(emptyTable('AppTable'));
  return model;
}

/**
 * The data modeler for one connection: a model's tables, entities and access patterns, seen as
 * facets, an aggregate and sample data, committed to this connection and run against it.
 */
export function ModelerView({ connection, namespace, onChanged }: { connection: ConnectionInfo; namespace: Namespace | undefined; onChanged(): void }) {
  const [savedModels, setSavedModels] = useState<SavedModel[]>([]);
  const [modelId, setModelId] = useState<string | undefined>();
  const [model, setModel] = useState<DataModel>(newModel);
  const [dirty, setDirty] = useState(false);
  const [tableIndex, setTableIndex] = useState(0);
  const [view, setView] = useState<View>('entities');
  const [seed, setSeed] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'commit' | 'reverse' | null>(null);
  const [running, setRunning] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(() => {
    call('models/list', null).then(setSavedModels, setError);
  }, []);
  useEffect(() => {
    reload();
    return api.on('models/changed', reload);
  }, [reload]);

  const table: ModelTable | undefined = model.tables[Math.min(tableIndex, model.tables.length - 1)];
  const problems = useMemo(() => checkModel(model), [model]);
  const runs: AccessPatternRun[] = savedModels.find((m) => m.id === modelId)?.runs ?? [];
  const where = { connectionId: connection.id, ...(namespace ? { namespace } : {}) };

  const samples = useMemo((): { items: SampleItem[] } | { error: unknown } => {
    if (!table || problems.length) return { items: [] };
    try {
      return { items: generateSampleItems(table, { seed }) };
    } catch (failure) {
      return { error: failure };
    }
  }, [table, seed, problems.length]);

  const change = (next: DataModel) => {
    setModel(next);
    setDirty(true);
  };
  const changeTable = (next: ModelTable) => change({ ...model, tables: model.tables.map((t, i) => (t === table ? next : t)) });
  const open = (next: DataModel, id?: string) => {
    setModel(next);
    setModelId(id);
    setDirty(id === undefined);
    setTableIndex(0);
    setError(null);
  };

  /** Saves the model (a new one the first time); commit and run work on the saved model. */
  const save = async (): Promise<string | undefined> => {
    try {
      const saved = await call('models/save', { ...(modelId ? { id: modelId } : {}), model });
      setModelId(saved.id);
      setDirty(false);
      setError(null);
      return saved.id;
    } catch (failure) {
      setError(failure);
      return undefined;
    }
  };

  const runPatterns = async () => {
    const id = dirty || !modelId ? await save() : modelId;
    if (!id) return;
    setRunning(true);
    try {
      await call('models/run', { ...where, modelId: id, seed });
      reload();
      setView('patterns');
    } catch (failure) {
      setError(failure);
    } finally {
      setRunning(false);
    }
  };

  const importFile = async (file: File) => {
    try {
      open(importModelFile(await file.text()));
      setNote(`Imported ${file.name}. Save it to keep it.`);
    } catch (failure) {
      setError(failure);
    }
  };

  /** Downloads the model as ours (`.model.json`) or as NoSQL Workbench's (`.workbench.json`, with this seed's sample items). */
  const exportFile = (format: 'ours' | 'workbench') => {
    let text: string;
    try {
      text = format === 'ours' ? exportModel(model) : JSON.stringify(exportWorkbenchModel(model, seed, new Date()), null, 2) + '\n';
    } catch (failure) {
      setError(failure);
      return;
    }
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${model.name.replace(/[^A-Za-z0-9._-]+/g, '-') || 'model'}.${format === 'ours' ? 'model' : 'workbench'}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <section className="modeler-view" aria-label="Data modeler">
      <header className="view-header">
        <div className="view-title">
          <h1>Modeler</h1>
          <span className="view-subtitle">
            {connection.name}
            {namespace && connection.capabilities.namespaces ? ` · ${namespaceLabel(namespace)}` : ''}
          </span>
        </div>
        <label className="inline-field">
          <span>Model</span>
          <input aria-label="Model name" value={model.name} onChange={(e) => change({ ...model, name: e.target.value })} size={24} />
        </label>
        <span className="view-note">{modelId ? (dirty ? 'Unsaved changes' : 'Saved') : 'Not saved yet'}</span>
      </header>
      <div className="toolbar modeler-toolbar" role="toolbar" aria-label="Model">
        <select
          aria-label="Open a model"
          value=""
          onChange={(e) => {
            const value = e.target.value;
            if (value === 'new') open(newModel());
            else if (value.startsWith('template:')) open(structuredClone(BUILTIN_MODELS[Number(value.slice(9))]!));
            else if (value.startsWith('saved:')) {
              const saved = savedModels.find((m) => m.id === value.slice(6));
              if (saved) open(structuredClone(saved.model), saved.id);
            }
          }}
        >
          <option value="">Open…</option>
          <option value="new">New empty model</option>
          <optgroup label="Templates">
            {BUILTIN_MODELS.map((m, i) => (
              <option key={m.name} value={`template:${i}`}>
                {m.name}
              </option>
            ))}
          </optgroup>
          {savedModels.length ? (
            <optgroup label="Saved models">
              {savedModels.map((m) => (
                <option key={m.id} value={`saved:${m.id}`}>
                  {m.model.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        <button type="button" className="button subtle" onClick={() => setDialog('reverse')}>
          <Icon name="table" size={13} /> From a table…
        </button>
        <button type="button" className="button subtle" onClick={() => fileInput.current?.click()}>
          <Icon name="upload" size={13} /> Import
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Model file to import"
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void importFile(file);
          }}
        />
        <button type="button" className="button subtle" onClick={() => exportFile('ours')} disabled={problems.length > 0}>
          <Icon name="download" size={13} /> Export
        </button>
        <button type="button" className="button subtle" onClick={() => exportFile('workbench')} disabled={problems.length > 0} title="NoSQL Workbench's model format, with the sample items of this seed">
          <Icon name="download" size={13} /> For NoSQL Workbench
        </button>
        <span className="toolbar-spacer" />
        <label className="inline-field">
          <span>Seed</span>
          <input aria-label="Sample data seed" type="number" value={seed} onChange={(e) => setSeed(Number.parseInt(e.target.value, 10) || 0)} style={{ width: 70 }} />
        </label>
        <button type="button" className="button" onClick={() => void save()} disabled={problems.length > 0 || (!dirty && modelId !== undefined)}>
          Save
        </button>
        <button type="button" className="button" onClick={() => void save().then((id) => id && setDialog('commit'))} disabled={problems.length > 0}>
          <Icon name="database" size={13} /> Commit…
        </button>
        <button type="button" className="button primary" onClick={() => void runPatterns()} disabled={problems.length > 0 || running}>
          <Icon name="play" size={13} /> {running ? 'Running…' : 'Run access patterns'}
        </button>
      </div>
      {error ? <ErrorNotice error={error} onDismiss={() => setError(null)} /> : null}
      {note ? (
        <div className="outcome-banner" role="status">
          <div className="outcome-head">
            <span className="outcome-text">{note}</span>
            <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNote(null)}>
              <Icon name="close" size={12} />
            </button>
          </div>
        </div>
      ) : null}
      {problems.length ? (
        <ul className="modeler-problems" aria-label="Model problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      <div className="modeler-tabs">
        {model.tables.length > 1 ? (
          <div className="segmented" role="radiogroup" aria-label="Table">
            {model.tables.map((t, i) => (
              <button key={i} type="button" role="radio" aria-checked={t === table} className={t === table ? 'on' : ''} onClick={() => setTableIndex(i)}>
                {t.name}
              </button>
            ))}
          </div>
        ) : null}
        <div className="segmented" role="radiogroup" aria-label="Modeler view">
          {VIEWS.map(([id, label]) => (
            <button key={id} type="button" role="radio" aria-checked={view === id} className={view === id ? 'on' : ''} onClick={() => setView(id)}>
              {label}
            </button>
          ))}
        </div>
      </div>
      <div className="modeler-body">
        {!table ? (
          <div className="empty-state muted">
            <button type="button" className="button" onClick={() => change({ ...model, tables: [emptyTable('AppTable')] })}>
              <Icon name="plus" size={13} /> Add a table
            </button>
          </div>
        ) : view === 'entities' ? (
          <EntitiesEditor table={table} onChange={changeTable} />
        ) : view === 'patterns' ? (
          <AccessPatternBoard table={table} onChange={changeTable} runs={runs.map((run) => ({ ...run, results: run.results.filter((r) => r.tableName === table.name) }))} />
        ) : view === 'facets' ? (
          <FacetsView table={table} samples={samples} />
        ) : view === 'aggregate' ? (
          <AggregateView table={table} />
        ) : view === 'code' ? (
          <CodeView model={model} table={table} samples={'items' in samples ? samples.items : []} connection={connection} namespace={namespace} />
        ) : (
          <SamplePreview table={table} samples={samples} seed={seed} onChange={changeTable} />
        )}
      </div>
      {dialog === 'commit' && modelId ? (
        <CommitDialog
          model={model}
          modelId={modelId}
          target={where}
          seed={seed}
          onClose={() => setDialog(null)}
          onCommitted={() => {
            onChanged();
          }}
        />
      ) : null}
      {dialog === 'reverse' ? (
        <ReverseDialog
          connection={connection}
          namespace={namespace}
          onClose={() => setDialog(null)}
          onReversed={(reversed, itemsPerEntity) => {
            setDialog(null);
            const others = model.tables.filter((t) => t.name !== reversed.name && (t.entities.length > 0 || t.accessPatterns.length > 0));
            const next = { ...model, ...(modelId || others.length ? {} : { name: `${reversed.name} model` }), tables: [...others, reversed] };
            change(next);
            setTableIndex(next.tables.length - 1);
            setView('entities');
            const counts = Object.entries(itemsPerEntity)
              .map(([name, count]) => `${name} (${count})`)
              .join(', ');
            setNote(`Reverse-engineered ${reversed.name}: ${counts || 'no items'}. Check the entities and key templates below, then save.`);
          }}
        />
      ) : null}
    </section>
  );
}
