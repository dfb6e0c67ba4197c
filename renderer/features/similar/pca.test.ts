import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectTo2d } from './pca.ts';

const distance = (a: number[], b: number[]) => Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));

test('points on a plane inside 6 dimensions keep their distances on the map, widest spread first', () => {
  // Points a*u + b*w + an offset, with u and w orthonormal: the data is two-dimensional.
  const u = [1, 2, 0, 0, 2, 0].map((x) => x / 3);
  const w = [0, 0, 1, 0, 0, 0];
  const vectors = Array.from({ length: 40 }, (_, i) => {
    const a = 3 * Math.cos(i);
    const b = Math.sin(i * 1.7);
    return u.map((x, j) => 5 + a * x + b * w[j]);
  });
  const projected = projectTo2d(vectors);
  for (let i = 0; i < vectors.length; i++) {
    for (let k = i + 1; k < vectors.length; k++) {
      assert.ok(Math.abs(distance(projected[i], projected[k]) - distance(vectors[i], vectors[k])) < 1e-6, `points ${i} and ${k}`);
    }
  }
  const spread = (axis: 0 | 1) => projected.reduce((s, p) => s + p[axis] ** 2, 0);
  assert.ok(spread(0) >= spread(1), 'the first axis carries the most variance');
  assert.deepEqual(projectTo2d([]), []);
});
