import type { ModelAttribute, ModelAttributeType, ModelEntity, ModelIndex, ModelKeyAttribute, ModelKeyType, ModelTable } from '../../../electron/contract.ts';
import { Icon } from '../../shared/icons.tsx';
import { keyAttributes } from '../../shared/modeler/requests.ts';
import { defaultGenerator } from '../../shared/modeler/sampleData.ts';
import { GENERATOR_HINTS, GENERATOR_KINDS, generatorOptions, parseGenerator } from './generatorText.ts';

const KEY_TYPES: ModelKeyType[] = ['S', 'N', 'B'];
const ATTRIBUTE_TYPES: ModelAttributeType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];

/** The table's keys and indexes, then each entity: its attributes with their generators and its key templates. */
export function EntitiesEditor({ table, onChange }: { table: ModelTable; onChange(table: ModelTable): void }) {
  const setEntity = (index: number, entity: ModelEntity) => onChange({ ...table, entities: table.entities.map((e, i) => (i === index ? entity : e)) });
  const addEntity = () => {
    let name = 'Entity';
    for (let n = 2; table.entities.some((e) => e.name === name); n++) name = `Entity${n}`;
    const templates = Object.fromEntries([table.partitionKey, table.sortKey].flatMap((k) => (k ? [[k.name, `${name.toUpperCase()}#{id}`]] : [])));
    onChange({ ...table, entities: [...table.entities, { name, attributes: [{ name: 'id', type: 'S' }], keyTemplates: templates, sampleCount: 10 }] });
  };
  return (
    <div className="modeler-scroll">
      <TableSettings table={table} onChange={onChange} />
      <ol className="entity-list" aria-label="Entities">
        {table.entities.map((entity, index) => (
          <EntityCard
            key={index}
            entity={entity}
            colour={index}
            table={table}
            onChange={(next) => setEntity(index, next)}
            onRemove={() => onChange({ ...table, entities: table.entities.filter((_, i) => i !== index), accessPatterns: table.accessPatterns.filter((p) => p.entity !== entity.name) })}
          />
        ))}
      </ol>
      <div className="modeler-actions">
        <button type="button" className="button" onClick={addEntity}>
          <Icon name="plus" size={13} /> Add entity
        </button>
      </div>
    </div>
  );
}

function KeyFields({ label, value, optional, onChange }: { label: string; value: ModelKeyAttribute | undefined; optional?: boolean; onChange(key: ModelKeyAttribute | undefined): void }) {
  return (
    <span className="key-fields">
      <input aria-label={`${label} name`} placeholder={optional ? 'none' : ''} value={value?.name ?? ''} size={10} onChange={(e) => onChange(e.target.value || !optional ? { name: e.target.value, type: value?.type ?? 'S' } : undefined)} />
      <select aria-label={`${label} type`} value={value?.type ?? 'S'} disabled={!value} onChange={(e) => value && onChange({ ...value, type: e.target.value as ModelKeyType })}>
        {KEY_TYPES.map((t) => (
          <option key={t}>{t}</option>
        ))}
      </select>
    </span>
  );
}

function TableSettings({ table, onChange }: { table: ModelTable; onChange(table: ModelTable): void }) {
  const setIndex = (index: number, next: ModelIndex) => onChange({ ...table, globalSecondaryIndexes: table.globalSecondaryIndexes.map((x, i) => (i === index ? next : x)) });
  const addIndex = () => {
    let n = table.globalSecondaryIndexes.length + 1;
    while (table.globalSecondaryIndexes.some((i) => i.name === `GSI${n}`)) n++;
    onChange({ ...table, globalSecondaryIndexes: [...table.globalSecondaryIndexes, { name: `GSI${n}`, partitionKey: { name: `GSI${n}PK`, type: 'S' }, sortKey: { name: `GSI${n}SK`, type: 'S' }, projection: { type: 'ALL' } }] });
  };
  return (
    <section className="view-section" aria-label="Table settings">
      <div className="query-row">
        <label className="inline-field">
          <span>Table</span>
          <input aria-label="Table name" value={table.name} size={18} onChange={(e) => onChange({ ...table, name: e.target.value })} />
        </label>
        <label className="inline-field">
          <span>Partition key</span>
          <KeyFields label="Partition key" value={table.partitionKey} onChange={(key) => key && onChange({ ...table, partitionKey: key })} />
        </label>
        <label className="inline-field">
          <span>Sort key</span>
          <KeyFields label="Sort key" value={table.sortKey} optional onChange={(key) => onChange(withOptional(table, 'sortKey', key))} />
        </label>
        <label className="inline-field">
          <span>Billing</span>
          <select
            aria-label="Billing mode"
            value={table.billing.mode}
            onChange={(e) => onChange({ ...table, billing: e.target.value === 'PROVISIONED' ? { mode: 'PROVISIONED', readCapacityUnits: 5, writeCapacityUnits: 5 } : { mode: 'PAY_PER_REQUEST' } })}
          >
            <option value="PAY_PER_REQUEST">On demand</option>
            <option value="PROVISIONED">Provisioned</option>
          </select>
        </label>
        <label className="inline-field">
          <span>TTL attribute</span>
          <input aria-label="TTL attribute" placeholder="none" value={table.ttlAttribute ?? ''} size={10} onChange={(e) => onChange(withOptional(table, 'ttlAttribute', e.target.value || undefined))} />
        </label>
        <label className="inline-field">
          <span>Stream</span>
          <select aria-label="Stream" value={table.stream ?? ''} onChange={(e) => onChange(withOptional(table, 'stream', (e.target.value || undefined) as ModelTable['stream']))}>
            <option value="">Off</option>
            <option value="NEW_IMAGE">New image</option>
            <option value="OLD_IMAGE">Old image</option>
            <option value="NEW_AND_OLD_IMAGES">New and old images</option>
            <option value="KEYS_ONLY">Keys only</option>
          </select>
        </label>
      </div>
      <table className="data-table index-table" aria-label="Global secondary indexes">
        <tbody>
          {table.globalSecondaryIndexes.map((index, i) => (
            <tr key={i} aria-label={`Index ${index.name}`}>
              <td>
                <input aria-label="Index name" value={index.name} size={14} onChange={(e) => setIndex(i, { ...index, name: e.target.value })} />
              </td>
              <td>
                <KeyFields label="Index partition key" value={index.partitionKey} onChange={(key) => key && setIndex(i, { ...index, partitionKey: key })} />
              </td>
              <td>
                <KeyFields label="Index sort key" value={index.sortKey} optional onChange={(key) => setIndex(i, withOptional(index, 'sortKey', key))} />
              </td>
              <td>
                <select aria-label="Projection" value={index.projection.type} onChange={(e) => setIndex(i, { ...index, projection: e.target.value === 'INCLUDE' ? { type: 'INCLUDE', nonKeyAttributes: [] } : { type: e.target.value as 'ALL' | 'KEYS_ONLY' } })}>
                  <option value="ALL">All attributes</option>
                  <option value="KEYS_ONLY">Keys only</option>
                  <option value="INCLUDE">Include…</option>
                </select>
                {index.projection.type === 'INCLUDE' ? (
                  <input
                    aria-label="Projected attributes"
                    placeholder="a, b"
                    value={(index.projection.nonKeyAttributes ?? []).join(', ')}
                    onChange={(e) => setIndex(i, { ...index, projection: { type: 'INCLUDE', nonKeyAttributes: e.target.value.split(',').map((v) => v.trim()).filter(Boolean) } })}
                  />
                ) : null}
              </td>
              <td>
                <button type="button" className="icon-button" aria-label={`Remove index ${index.name}`} onClick={() => onChange({ ...table, globalSecondaryIndexes: table.globalSecondaryIndexes.filter((_, x) => x !== i) })}>
                  <Icon name="close" size={13} />
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="button small" onClick={addIndex}>
        <Icon name="plus" size={12} /> Add global secondary index
      </button>
      {table.localSecondaryIndexes.length ? <p className="view-note">Local indexes: {table.localSecondaryIndexes.map((i) => `${i.name} (${i.sortKey?.name})`).join(', ')}</p> : null}
    </section>
  );
}

function EntityCard({ entity, colour, table, onChange, onRemove }: { entity: ModelEntity; colour: number; table: ModelTable; onChange(entity: ModelEntity): void; onRemove(): void }) {
  const keys = [...keyAttributes(table).keys()];
  const setAttribute = (index: number, attribute: ModelAttribute) => onChange({ ...entity, attributes: entity.attributes.map((a, i) => (i === index ? attribute : a)) });
  return (
    <li className={`entity-card entity-${colour % 8}`} role="group" aria-label={`Entity ${entity.name}`}>
      <div className="query-row">
        <input className="entity-name" aria-label="Entity name" value={entity.name} size={14} onChange={(e) => onChange({ ...entity, name: e.target.value })} />
        <label className="inline-field">
          <span>Sample items</span>
          <input aria-label="Sample items" type="number" min={0} value={entity.sampleCount ?? 10} style={{ width: 80 }} onChange={(e) => onChange({ ...entity, sampleCount: Math.max(0, Number.parseInt(e.target.value, 10) || 0) })} />
        </label>
        <span className="toolbar-spacer" />
        <button type="button" className="icon-button" aria-label={`Remove entity ${entity.name}`} onClick={onRemove}>
          <Icon name="trash" size={14} />
        </button>
      </div>
      <div className="key-templates" role="group" aria-label="Key templates">
        {keys.map((name) => (
          <label key={name} className="inline-field">
            <span className="mono">{name}</span>
            <input
              aria-label={`Template for ${name}`}
              className="mono"
              placeholder={name === table.partitionKey.name || name === table.sortKey?.name ? 'required' : 'not in this index'}
              value={entity.keyTemplates[name] ?? ''}
              size={22}
              onChange={(e) => {
                const templates = { ...entity.keyTemplates };
                if (e.target.value) templates[name] = e.target.value;
                else delete templates[name];
                onChange({ ...entity, keyTemplates: templates });
              }}
            />
          </label>
        ))}
      </div>
      <table className="data-table attribute-table" aria-label={`Attributes of ${entity.name}`}>
        <thead>
          <tr>
            <th>Attribute</th>
            <th>Type</th>
            <th>Sample values</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {entity.attributes.map((attribute, i) => (
            <AttributeRow key={i} attribute={attribute} onChange={(next) => setAttribute(i, next)} onRemove={() => onChange({ ...entity, attributes: entity.attributes.filter((_, x) => x !== i) })} />
          ))}
        </tbody>
      </table>
      <button type="button" className="button small" onClick={() => onChange({ ...entity, attributes: [...entity.attributes, { name: '', type: 'S' }] })}>
        <Icon name="plus" size={12} /> Add attribute
      </button>
    </li>
  );
}

function AttributeRow({ attribute, onChange, onRemove }: { attribute: ModelAttribute; onChange(attribute: ModelAttribute): void; onRemove(): void }) {
  const generator = attribute.generator ?? defaultGenerator(attribute);
  const options = generatorOptions(generator);
  const parsed = (kind: typeof generator.kind, text: string) => parseGenerator(kind, text, generator);
  return (
    <tr aria-label={`Attribute ${attribute.name || '(new)'}`}>
      <td>
        <input aria-label="Attribute name" value={attribute.name} size={14} onChange={(e) => onChange({ ...attribute, name: e.target.value })} />
      </td>
      <td>
        <select aria-label="Attribute type" value={attribute.type} onChange={(e) => onChange({ ...attribute, type: e.target.value as ModelAttributeType })}>
          {ATTRIBUTE_TYPES.map((t) => (
            <option key={t}>{t}</option>
          ))}
        </select>
      </td>
      <td className="generator-cell">
        <select
          aria-label="Generator"
          value={generator.kind}
          onChange={(e) => {
            const next = parsed(e.target.value as typeof generator.kind, '');
            // A kind that needs settings starts from its hint's example until the user writes their own.
            const example = GENERATOR_HINTS[e.target.value as typeof generator.kind]?.split('e.g. ')[1];
            const withExample = 'problem' in next && example ? parsed(e.target.value as typeof generator.kind, example) : next;
            if (!('problem' in withExample)) onChange({ ...attribute, generator: withExample });
          }}
        >
          {GENERATOR_KINDS.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
        {GENERATOR_HINTS[generator.kind] ? (
          <GeneratorOptions key={generator.kind} text={options} hint={GENERATOR_HINTS[generator.kind]!} parse={(text) => parsed(generator.kind, text)} onChange={(next) => onChange({ ...attribute, generator: next })} />
        ) : null}
      </td>
      <td>
        <button type="button" className="icon-button" aria-label={`Remove attribute ${attribute.name}`} onClick={onRemove}>
          <Icon name="close" size={13} />
        </button>
      </td>
    </tr>
  );
}

/** The options text stays as typed while it does not parse yet; the generator follows once it does. */
function GeneratorOptions({ text, hint, parse, onChange }: { text: string; hint: string; parse(text: string): ReturnType<typeof parseGenerator>; onChange(generator: Exclude<ReturnType<typeof parseGenerator>, { problem: string }>): void }) {
  return (
    <input
      aria-label="Generator options"
      placeholder={hint}
      defaultValue={text}
      size={26}
      onChange={(e) => {
        const next = parse(e.target.value);
        e.target.setCustomValidity('problem' in next ? next.problem : '');
        e.target.title = 'problem' in next ? next.problem : '';
        if (!('problem' in next)) onChange(next);
      }}
    />
  );
}

/** Sets or clears an optional field without leaving `undefined` in the document. */
function withOptional<T extends object, K extends keyof T>(object: T, key: K, value: T[K] | undefined): T {
  const next = { ...object };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
