/**
 * Principal component analysis down to two dimensions, for the vector map: the two directions
 * along which the vectors vary most, found by power iteration on the covariance without forming
 * it (each step is X^T (X v), so a thousand 768-dimension vectors cost a few million operations
 * a step), the second after deflating the first. Pure, so it runs in a worker and in tests.
 */

const ITERATIONS = 100;

/** Each vector's coordinates along the first two principal components (centred on the mean). */
export function projectTo2d(vectors: number[][]): [number, number][] {
  const n = vectors.length;
  if (n === 0) return [];
  const d = vectors[0].length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / n;
  const centred = vectors.map((v) => Float64Array.from(v, (x, j) => x - mean[j]));
  const first = principal(centred, d, []);
  const second = principal(centred, d, [first]);
  return centred.map((x) => [dot(x, first), dot(x, second)]);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(v: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(v, v));
  if (norm === 0) return v;
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

/** The unit direction of greatest variance orthogonal to `found`. */
function principal(rows: Float64Array[], d: number, found: Float64Array[]): Float64Array {
  // A fixed, non-degenerate start keeps the map the same from one run to the next.
  let v = normalise(Float64Array.from({ length: d }, (_, i) => 1 + ((i * 7919) % 13) / 13));
  for (let step = 0; step < ITERATIONS; step++) {
    const next = new Float64Array(d);
    for (const row of rows) {
      const p = dot(row, v);
      for (let j = 0; j < d; j++) next[j] += p * row[j];
    }
    for (const f of found) {
      const p = dot(next, f);
      for (let j = 0; j < d; j++) next[j] -= p * f[j];
    }
    v = normalise(next);
  }
  return v;
}
