/**
 * A sample-data generator's settings as one line of text, so the attribute editor needs one field
 * per attribute: `0..500` for numbers, `2024-01-01..2024-12-31` for dates, `red, green` for enums,
 * `User.userId ^1.2` for a reference skewed by Zipf's exponent 1.2, a prefix for a sequence.
 */
import type { ModelGenerator } from '../../../electron/contract.ts';

export const GENERATOR_KINDS: ModelGenerator['kind'][] = ['uuid', 'name', 'email', 'word', 'sentence', 'sequence', 'date', 'number', 'enum', 'boolean', 'constant', 'reference'];

/** What the options field means for each kind, shown as its placeholder. */
export const GENERATOR_HINTS: Partial<Record<ModelGenerator['kind'], string>> = {
  sequence: 'prefix, e.g. USER-',
  date: 'from..to, e.g. 2024-01-01..2024-12-31',
  number: 'min..max, e.g. 0..500',
  enum: 'values, e.g. OPEN, CLOSED',
  boolean: 'share of true, e.g. 0.3',
  constant: 'the value',
  reference: 'Entity.attribute ^skew, e.g. User.userId ^1.2',
};

export function generatorOptions(generator: ModelGenerator | undefined): string {
  if (!generator) return '';
  switch (generator.kind) {
    case 'sequence':
      return generator.prefix ?? '';
    case 'date':
      return `${generator.from}..${generator.to}`;
    case 'number':
      return `${generator.min}..${generator.max}`;
    case 'enum':
      return generator.values.join(', ');
    case 'boolean':
      return generator.trueShare === undefined ? '' : String(generator.trueShare);
    case 'constant':
      return generator.value;
    case 'reference':
      return `${generator.entity}.${generator.attribute}${generator.skew ? ` ^${generator.skew}` : ''}`;
    default:
      return '';
  }
}

/**
 * The generator a kind and its options text make; settings the text does not mention (a number's
 * distribution and decimals, a date's format) are kept from `previous` when it has the same kind.
 */
export function parseGenerator(kind: ModelGenerator['kind'], text: string, previous?: ModelGenerator): ModelGenerator | { problem: string } {
  const same = previous?.kind === kind ? previous : undefined;
  const range = (): [string, string] | undefined => {
    const at = text.indexOf('..');
    return at < 0 ? undefined : [text.slice(0, at).trim(), text.slice(at + 2).trim()];
  };
  switch (kind) {
    case 'sequence':
      return { ...(same as object), kind, prefix: text };
    case 'date': {
      const [from, to] = range() ?? [];
      if (!from || !to || !Number.isFinite(Date.parse(from)) || !Number.isFinite(Date.parse(to))) return { problem: 'Dates are written from..to, e.g. 2024-01-01..2024-12-31' };
      return { ...(same as object), kind, from, to };
    }
    case 'number': {
      const [min, max] = (range() ?? []).map(Number);
      if (min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max) || max < min) return { problem: 'Numbers are written min..max, e.g. 0..500' };
      return { ...(same as object), kind, min, max };
    }
    case 'enum': {
      const values = text.split(',').map((v) => v.trim()).filter(Boolean);
      if (values.length === 0) return { problem: 'An enum needs values separated by commas' };
      return { kind, values };
    }
    case 'boolean': {
      if (!text.trim()) return { kind };
      const share = Number(text);
      if (!(share >= 0 && share <= 1)) return { problem: 'The share of true is a number from 0 to 1' };
      return { kind, trueShare: share };
    }
    case 'constant':
      return { kind, value: text };
    case 'reference': {
      const caret = text.indexOf('^');
      const target = (caret < 0 ? text : text.slice(0, caret)).trim();
      const skewText = caret < 0 ? undefined : text.slice(caret + 1).trim();
      const dot = target.indexOf('.');
      const skew = skewText === undefined ? undefined : Number(skewText);
      if (dot <= 0 || dot === target.length - 1 || (skew !== undefined && !(skew >= 0))) return { problem: 'A reference is written Entity.attribute, optionally ^skew' };
      return { kind, entity: target.slice(0, dot), attribute: target.slice(dot + 1), ...(skew ? { skew } : {}) };
    }
    default:
      return { kind } as ModelGenerator;
  }
}
