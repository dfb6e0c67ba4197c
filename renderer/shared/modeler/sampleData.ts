/**
 * Sample items for a model table, the same for the same seed: every attribute draws from its own
 * random stream (seeded by the seed, the entity and the attribute), so adding an attribute or
 * changing one entity's count leaves the other values as they were.
 */
import type { AccessPattern, AttributeValue, Item, ModelAttribute, ModelEntity, ModelGenerator, ModelTable } from '../../../electron/contract.ts';
import { ModelError } from './keyTemplates.ts';
import { accessPatternParameters, entityItem } from './requests.ts';

export interface SampleOptions {
  seed: number;
  /** Items per entity, overriding each entity's `sampleCount`. */
  counts?: Record<string, number>;
}

export interface SampleItem {
  entity: string;
  item: Item;
}

/** Bounds the work a model can ask for in one generation (the UI previews and writes these). */
export const MAX_SAMPLE_ITEMS = 100_000;
const DEFAULT_COUNT = 10;

/**
 * Generates each entity's items, entities referred to first (an order's customerId is drawn from
 * the customers made). An item whose primary key an earlier item already has is left out, so the
 * result can be written with BatchWriteItem as it is.
 */
export function generateSampleItems(table: ModelTable, options: SampleOptions): SampleItem[] {
  const counts = new Map(table.entities.map((e) => [e.name, options.counts?.[e.name] ?? e.sampleCount ?? DEFAULT_COUNT]));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  if (![...counts.values()].every((n) => Number.isInteger(n) && n >= 0) || total > MAX_SAMPLE_ITEMS) {
    throw new ModelError(`Sample counts must be whole numbers, at most ${MAX_SAMPLE_ITEMS.toLocaleString('en-US')} items in all`);
  }
  const generated = new Map<string, Record<string, string>[]>();
  const byEntity = new Map<string, SampleItem[]>();
  const seenKeys = new Set<string>();
  for (const entity of dependencyOrder(table)) {
    const rows: Record<string, string>[] = [];
    const items: SampleItem[] = [];
    const draws = new Map(entity.attributes.map((a) => [a.name, attributeDraw(table, entity, a, options.seed, generated)]));
    for (let i = 0; i < counts.get(entity.name)!; i++) {
      const texts: Record<string, string> = {};
      const values: Item = {};
      for (const attribute of entity.attributes) {
        const value = draws.get(attribute.name)!(i);
        values[attribute.name] = value;
        const text = scalarText(value);
        if (text !== undefined) texts[attribute.name] = text;
      }
      rows.push(texts);
      const item = { ...values, ...entityItem(table, { ...entity, attributes: entity.attributes.filter((a) => texts[a.name] !== undefined) }, texts) };
      const key = JSON.stringify([table.partitionKey.name, table.sortKey?.name].map((name) => (name ? item[name] : null)));
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      items.push({ entity: entity.name, item });
    }
    generated.set(entity.name, rows);
    byEntity.set(entity.name, items);
  }
  return table.entities.flatMap((e) => byEntity.get(e.name) ?? []);
}

/** Entities in an order where each comes after those its reference generators draw from. */
function dependencyOrder(table: ModelTable): ModelEntity[] {
  const ordered: ModelEntity[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (entity: ModelEntity, path: string[]) => {
    if (state.get(entity.name) === 'done') return;
    if (state.get(entity.name) === 'visiting') throw new ModelError(`Sample data references go round in a circle: ${[...path, entity.name].join(' → ')}`);
    state.set(entity.name, 'visiting');
    for (const attribute of entity.attributes) {
      if (attribute.generator?.kind !== 'reference') continue;
      const target = table.entities.find((e) => e.name === (attribute.generator as { entity: string }).entity);
      if (!target) throw new ModelError(`${entity.name}.${attribute.name} refers to entity ${attribute.generator.entity}, which table ${table.name} does not have`);
      if (target !== entity) visit(target, [...path, entity.name]);
    }
    state.set(entity.name, 'done');
    ordered.push(entity);
  };
  for (const entity of table.entities) visit(entity, []);
  return ordered;
}

function scalarText(value: AttributeValue): string | undefined {
  if ('S' in value) return value.S;
  if ('N' in value) return value.N;
  if ('B' in value) return value.B;
  if ('BOOL' in value) return String(value.BOOL);
  return undefined;
}

type Draw = (index: number) => AttributeValue;

function attributeDraw(table: ModelTable, entity: ModelEntity, attribute: ModelAttribute, seed: number, generated: Map<string, Record<string, string>[]>): Draw {
  const random = seededRandom(`${seed}|${table.name}|${entity.name}|${attribute.name}`);
  const generator = attribute.generator ?? defaultGenerator(attribute);
  const text = textDraw(generator, random, generated, `${entity.name}.${attribute.name}`);
  const type = attribute.type;
  if (type === 'S' || type === 'N' || type === 'B') {
    if (type === 'N' && !['number', 'sequence', 'constant', 'reference', 'enum', 'date'].includes(generator.kind)) {
      throw new ModelError(`${entity.name}.${attribute.name} is a number; the ${generator.kind} generator makes text`);
    }
    return (i) => ({ [type]: text(i) }) as AttributeValue;
  }
  if (type === 'BOOL') return (i) => ({ BOOL: generator.kind === 'boolean' ? text(i) === 'true' : random() < 0.5 });
  if (type === 'NULL') return () => ({ NULL: true });
  if (type === 'SS') return (i) => ({ SS: [...new Set([text(i), pick(WORDS, random), pick(WORDS, random)])] });
  if (type === 'NS') return () => ({ NS: [...new Set([1, 2, 3].map(() => String(Math.floor(random() * 1000))))] });
  if (type === 'BS') return () => ({ BS: [randomBase64(random, 8)] });
  if (type === 'L') return (i) => ({ L: [{ S: text(i) }, { S: pick(WORDS, random) }] });
  return (i) => ({ M: { value: { S: text(i) }, note: { S: pick(WORDS, random) } } });
}

/** What an attribute without a generator gets, guessed from its name and type. */
export function defaultGenerator(attribute: ModelAttribute): ModelGenerator {
  const name = attribute.name.toLowerCase();
  if (attribute.type === 'N') {
    if (/(^|_)(ttl|expires?(at)?)$|expiresat|expiry/.test(name)) return { kind: 'date', from: '2031-01-01', to: '2031-12-31', format: 'epochSeconds' };
    return { kind: 'number', min: 0, max: 1000 };
  }
  if (attribute.type === 'BOOL') return { kind: 'boolean' };
  if (name.includes('email')) return { kind: 'email' };
  if (name === 'id' || name.endsWith('id')) return { kind: 'uuid' };
  if (name.includes('name')) return { kind: 'name' };
  if (/date|time|(^|[a-z])at$|^ts$/.test(name)) return { kind: 'date', from: '2024-01-01', to: '2024-12-31' };
  if (attribute.type === 'B') return { kind: 'uuid' };
  return { kind: 'word' };
}

function textDraw(generator: ModelGenerator, random: () => number, generated: Map<string, Record<string, string>[]>, where: string): (index: number) => string {
  switch (generator.kind) {
    case 'uuid':
      return () => uuid(random);
    case 'name':
      return () => `${pick(FIRST_NAMES, random)} ${pick(LAST_NAMES, random)}`;
    case 'email':
      return (i) => `${pick(FIRST_NAMES, random).toLowerCase()}.${pick(LAST_NAMES, random).toLowerCase()}${i + 1}@example.com`;
    case 'word':
      return () => pick(WORDS, random);
    case 'sentence':
      return () => {
        const words = Array.from({ length: 3 + Math.floor(random() * 5) }, () => pick(WORDS, random));
        return words.join(' ').replace(/^./, (c) => c.toUpperCase());
      };
    case 'sequence': {
      const start = generator.start ?? 1;
      return (i) => `${generator.prefix ?? ''}${String(start + i).padStart(generator.width ?? 0, '0')}`;
    }
    case 'date': {
      const from = Date.parse(generator.from);
      const to = Date.parse(generator.to);
      if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) throw new ModelError(`${where}: dates from "${generator.from}" to "${generator.to}" are not a range`);
      return () => {
        const at = new Date(from + Math.floor(random() * (to - from + 1)));
        if (generator.format === 'epochSeconds') return String(Math.floor(at.getTime() / 1000));
        const iso = at.toISOString();
        return generator.format === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 19)}Z`;
      };
    }
    case 'number': {
      const { min, max } = generator;
      if (!Number.isFinite(min) || !Number.isFinite(max) || max < min) throw new ModelError(`${where}: numbers from ${min} to ${max} are not a range`);
      const decimals = Math.min(Math.max(generator.decimals ?? 0, 0), 10);
      const spread = max - min;
      return () => {
        let value: number;
        if (generator.distribution === 'normal') {
          // Box–Muller, centred on the middle with the range as six standard deviations.
          const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
          value = min + spread / 2 + (z * spread) / 6;
        } else if (generator.distribution === 'exponential') {
          value = min - Math.log(1 - random()) * (spread / 5);
        } else {
          value = min + random() * spread;
        }
        return Math.min(max, Math.max(min, value)).toFixed(decimals);
      };
    }
    case 'enum': {
      if (!Array.isArray(generator.values) || generator.values.length === 0) throw new ModelError(`${where}: an enum needs values`);
      const weights = generator.values.map((_, i) => Math.max(0, generator.weights?.[i] ?? 1));
      const choose = weightedChoice(weights);
      return () => generator.values[choose(random())]!;
    }
    case 'boolean':
      return () => String(random() < (generator.trueShare ?? 0.5));
    case 'constant':
      return () => generator.value;
    case 'reference': {
      const pool = (generated.get(generator.entity) ?? []).map((row) => row[generator.attribute]).filter((v): v is string => v !== undefined);
      if (pool.length === 0) throw new ModelError(`${where} draws from ${generator.entity}.${generator.attribute}, which has no sample values (give ${generator.entity} a count above 0)`);
      // Zipf's law: the k-th value is drawn in proportion to 1 / k^skew, so a few partitions run hot.
      const choose = weightedChoice(pool.map((_, k) => 1 / (k + 1) ** Math.max(0, generator.skew ?? 0)));
      return () => pool[choose(random())]!;
    }
  }
}

/** Picks an index with probability proportional to its weight, by binary search over the running sums. */
function weightedChoice(weights: number[]): (unit: number) => number {
  const sums: number[] = [];
  let total = 0;
  for (const weight of weights) sums.push((total += weight));
  return (unit) => {
    const target = unit * total;
    let low = 0;
    let high = sums.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sums[middle]! > target) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}

/**
 * A small, fast generator (sfc32) seeded from a string through cyrb128; good enough for sample
 * data and the same on every platform, which Math.random is not asked to be.
 */
export function seededRandom(seed: string): () => number {
  let h1 = 1779033703, h2 = 3144134277, h3 = 1013904242, h4 = 2773480762;
  for (let i = 0; i < seed.length; i++) {
    const k = seed.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  let a = (h1 ^ h2 ^ h3 ^ h4) >>> 0, b = (h2 ^ h1) >>> 0, c = (h3 ^ h1) >>> 0, d = (h4 ^ h1) >>> 0;
  return () => {
    a |= 0; b |= 0; c |= 0; d |= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

function randomBase64(random: () => number, bytes: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  // Whole groups of 3 bytes are 4 characters with no padding.
  return Array.from({ length: Math.ceil(bytes / 3) * 4 }, () => alphabet[Math.floor(random() * 64)]).join('');
}

const FIRST_NAMES = ['Ada', 'Alan', 'Barbara', 'Claude', 'Donald', 'Edsger', 'Frances', 'Grace', 'Hedy', 'Ivan', 'Jean', 'Ken', 'Leslie', 'Margaret', 'Niklaus', 'Olga', 'Radia', 'Shafi', 'Tim', 'Whitfield'];
const LAST_NAMES = ['Allen', 'Backus', 'Conway', 'Dijkstra', 'Engelbart', 'Floyd', 'Goldwasser', 'Hopper', 'Iverson', 'Knuth', 'Lamport', 'Liskov', 'Lovelace', 'McCarthy', 'Perlman', 'Ritchie', 'Shannon', 'Thompson', 'Turing', 'Wirth'];
const WORDS = ['amber', 'basil', 'cedar', 'delta', 'ember', 'fjord', 'glade', 'harbor', 'indigo', 'juniper', 'kelp', 'lumen', 'maple', 'nimbus', 'onyx', 'pebble', 'quartz', 'river', 'saffron', 'tundra', 'umber', 'violet', 'willow', 'xenon', 'yarrow', 'zephyr'];

/**
 * The values an access pattern runs with: its example parameters, and for each parameter without
 * one, the value the first sample item of its entity (or else of any entity) holds, so a run finds
 * the data the commit wrote.
 */
export function runParameters(table: ModelTable, pattern: AccessPattern, samples: readonly SampleItem[]): Record<string, string> {
  const parameters: Record<string, string> = {};
  const own = samples.filter((s) => s.entity === pattern.entity);
  for (const { name } of accessPatternParameters(table, pattern)) {
    const example = pattern.exampleParameters?.[name];
    if (example !== undefined) {
      parameters[name] = example;
      continue;
    }
    for (const { item } of [...own, ...samples]) {
      const text = item[name] && scalarText(item[name]);
      if (text !== undefined) {
        parameters[name] = text;
        break;
      }
    }
  }
  return parameters;
}
