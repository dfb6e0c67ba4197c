/**
 * Applying a compiled UpdateExpression to an item.
 *
 * Order of work, as DynamoDB does it: every SET value is computed from the item as it was before the
 * update (so `SET a = b, b = a` swaps), then the actions are applied in the order written. List
 * elements named by REMOVE are removed last, highest index first, so every index in the expression
 * refers to the list as it was (`REMOVE l[0], l[1]` removes the first two elements).
 */
import { validationError } from '../errors.ts';
import type { AttributeValue, Item } from '../types.ts';
import { addNumbers, canonicalNumber, cloneAttributeValue, typeOf } from '../values.ts';
import type { DocumentPath, Operand, Update } from './ast.ts';
import { resolvePath } from './evaluate.ts';
import { setOwn } from '../ownKeys.ts';

const MISSING_ATTRIBUTE = 'The provided expression refers to an attribute that does not exist in the item';
const INCORRECT_TYPE = 'An operand in the update expression has an incorrect data type';
const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

function resolveSetValue(operand: Operand, item: Item, typeError = INCORRECT_TYPE): AttributeValue {
  switch (operand.kind) {
    case 'path': {
      const value = resolvePath(item, operand.path);
      if (value === undefined) throw validationError(MISSING_ATTRIBUTE);
      return value;
    }
    case 'value':
      return operand.value;
    case 'if_not_exists':
      return resolvePath(item, operand.path) ?? resolveSetValue(operand.fallback, item, typeError);
    case 'list_append': {
      const first = resolveSetValue(operand.first, item, typeError);
      if (!('L' in first)) throw validationError(typeError);
      const second = resolveSetValue(operand.second, item, typeError);
      if (!('L' in second)) throw validationError(typeError);
      return { L: [...first.L, ...second.L] };
    }
    case 'arithmetic': {
      const left = resolveSetValue(operand.left, item);
      if (!('N' in left)) throw validationError(INCORRECT_TYPE);
      const right = resolveSetValue(operand.right, item);
      if (!('N' in right)) throw validationError(INCORRECT_TYPE);
      const result = addNumbers(left.N, right.N, operand.op === '-');
      if ('error' in result) throw validationError(result.error);
      return { N: result.value };
    }
    case 'size':
      throw new Error('size() in an update expression');
  }
}

/** Where a path's last step lives: a map (or the item itself) and a key, or a list and an index. */
type Slot = { map: Record<string, AttributeValue>; key: string } | { list: AttributeValue[]; index: number };

function locate(item: Item, path: DocumentPath): Slot {
  let container = { M: item } as AttributeValue;
  for (let i = 0; i < path.length - 1; i++) {
    const step = path[i];
    let next: AttributeValue | undefined;
    if (typeof step === 'number') next = 'L' in container && step < container.L.length ? container.L[step] : undefined;
    else next = 'M' in container && Object.hasOwn(container.M, step) ? container.M[step] : undefined;
    if (next === undefined) throw validationError(INVALID_PATH);
    container = next;
  }
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    if (!('L' in container)) throw validationError(INVALID_PATH);
    return { list: container.L, index: last };
  }
  if (!('M' in container)) throw validationError(INVALID_PATH);
  return { map: container.M, key: last };
}

function read(slot: Slot): AttributeValue | undefined {
  if ('map' in slot) return Object.hasOwn(slot.map, slot.key) ? slot.map[slot.key] : undefined;
  return slot.index < slot.list.length ? slot.list[slot.index] : undefined;
}

/** Writes a value; a list index past the end appends (DynamoDB does not pad). */
function write(slot: Slot, value: AttributeValue): void {
  if ('map' in slot) setOwn(slot.map, slot.key, value);
  else if (slot.index < slot.list.length) slot.list[slot.index] = value;
  else slot.list.push(value);
}

function remove(slot: Slot, pendingListRemovals: Map<AttributeValue[], number[]>): void {
  if ('map' in slot) {
    delete slot.map[slot.key];
  } else if (slot.index < slot.list.length) {
    const indexes = pendingListRemovals.get(slot.list) ?? [];
    indexes.push(slot.index);
    pendingListRemovals.set(slot.list, indexes);
  }
}

function setKey(type: string, member: string): string {
  if (type === 'NS') return canonicalNumber(member);
  if (type === 'BS') return Buffer.from(member, 'base64').toString('base64');
  return member;
}

function addToSet(existing: AttributeValue, value: AttributeValue): AttributeValue {
  const type = typeOf(value);
  const current = (existing as Record<string, string[]>)[type];
  const seen = new Set(current.map((m) => setKey(type, m)));
  const merged = [...current];
  for (const member of (value as Record<string, string[]>)[type]) {
    const key = setKey(type, member);
    if (!seen.has(key)) {
      seen.add(key);
      merged.push(member);
    }
  }
  return { [type]: merged } as AttributeValue;
}

function deleteFromSet(existing: AttributeValue, value: AttributeValue): string[] {
  const type = typeOf(value);
  const removed = new Set((value as Record<string, string[]>)[type].map((m) => setKey(type, m)));
  return (existing as Record<string, string[]>)[type].filter((m) => !removed.has(setKey(type, m)));
}

export function applyUpdate(update: Update, item: Item): Item {
  // AttributeUpdates reports the same type mistakes in its own words.
  const addDeleteTypeError = update.legacy ? 'Type mismatch for attribute to update' : INCORRECT_TYPE;
  // Values are computed from the original item before anything changes.
  const setValues = update.actions.map((action) => (action.action === 'SET' ? resolveSetValue(action.value, item, addDeleteTypeError) : undefined));
  // Copy on write: the result shares untouched attributes with `item` (neither is mutated later);
  // an attribute changed below its top level is deep-copied first, since the change edits it in place.
  const result: Item = {};
  for (const name in item) setOwn(result, name, item[name]);
  for (const action of update.actions) {
    const top = action.path[0] as string;
    if (action.path.length > 1 && Object.hasOwn(result, top) && result[top] === item[top]) setOwn(result, top, cloneAttributeValue(item[top]));
  }
  const pendingListRemovals = new Map<AttributeValue[], number[]>();
  update.actions.forEach((action, i) => {
    const slot = locate(result, action.path);
    switch (action.action) {
      case 'SET':
        write(slot, cloneAttributeValue(setValues[i]!));
        break;
      case 'REMOVE':
        remove(slot, pendingListRemovals);
        break;
      case 'ADD': {
        const existing = read(slot);
        const type = typeOf(action.value);
        if (existing === undefined) {
          write(slot, cloneAttributeValue(action.value));
        } else if (typeOf(existing) !== type) {
          throw validationError(addDeleteTypeError);
        } else if (type === 'N') {
          const sum = addNumbers((existing as { N: string }).N, (action.value as { N: string }).N);
          if ('error' in sum) throw validationError(sum.error);
          write(slot, { N: sum.value });
        } else {
          write(slot, addToSet(existing, action.value));
        }
        break;
      }
      case 'DELETE': {
        const existing = read(slot);
        if (existing === undefined) break;
        const type = typeOf(action.value);
        if (typeOf(existing) !== type) throw validationError(addDeleteTypeError);
        const remaining = deleteFromSet(existing, action.value);
        // An empty set cannot exist: deleting its last member removes the attribute.
        if (remaining.length === 0) remove(slot, pendingListRemovals);
        else write(slot, { [type]: remaining } as AttributeValue);
        break;
      }
    }
  });

  for (const [list, indexes] of pendingListRemovals) {
    for (const index of [...new Set(indexes)].sort((a, b) => b - a)) list.splice(index, 1);
  }
  return result;
}
