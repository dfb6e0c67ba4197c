/**
 * ProjectionExpression: keeps the named paths of an item. Nested map keys keep their maps; list
 * elements named by index come back as a list of just those elements, in index order (`l[3], l[1]`
 * on [a, b, c, d] gives [b, d]). Paths that do not resolve are left out.
 */
import type { AttributeValue, Item } from '../types.ts';
import type { DocumentPath } from './ast.ts';
import { resolvePath } from './evaluate.ts';
import { setOwn } from '../ownKeys.ts';

type Node =
  | { kind: 'leaf'; value: AttributeValue }
  | { kind: 'map'; entries: Map<string, Node> }
  | { kind: 'list'; entries: Map<number, Node> };

function build(node: Node): AttributeValue {
  switch (node.kind) {
    case 'leaf':
      return node.value;
    case 'map': {
      const M: Record<string, AttributeValue> = {};
      for (const [key, child] of node.entries) setOwn(M, key, build(child));
      return { M };
    }
    case 'list':
      return { L: [...node.entries.entries()].sort((a, b) => a[0] - b[0]).map(([, child]) => build(child)) };
  }
}

export function projectItem(item: Item, projection: DocumentPath[]): Item {
  const root = new Map<string, Node>();
  paths: for (const path of projection) {
    const value = resolvePath(item, path);
    if (value === undefined) continue;
    let entries: Map<string | number, Node> = root as Map<string | number, Node>;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i];
      const kind = typeof path[i + 1] === 'number' ? 'list' : 'map';
      let child = entries.get(step);
      // Paths only overlap when the caller skipped the overlap check; a value already projected
      // whole stays whole.
      if (child?.kind === 'leaf') continue paths;
      if (child === undefined || child.kind !== kind) {
        child = kind === 'list' ? { kind: 'list', entries: new Map() } : { kind: 'map', entries: new Map() };
        entries.set(step, child);
      }
      entries = child.entries as Map<string | number, Node>;
    }
    const last = path[path.length - 1];
    const existing = entries.get(last);
    // The whole value was already projected by a shorter path: keep it whole.
    if (existing?.kind !== 'leaf') entries.set(last, { kind: 'leaf', value });
  }
  const result: Item = {};
  for (const [name, node] of root) setOwn(result, name, build(node));
  return result;
}
