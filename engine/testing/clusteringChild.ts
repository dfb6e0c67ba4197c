/**
 * A process for the kill -9 test of vector clustering (engine/vectorClustering.test.ts): opens the
 * engine on the LMDB directory given as the first argument with a lowered clustering minimum, loads
 * a table past it, prints "moving" once the background clustering has moved some entries, and
 * keeps running until it is killed.
 */
import { openEngine } from '../engine.ts';
import { CLUSTERING_CHILD, clusteredVectors, numberList, vectorTableInput } from './vectorFixtures.ts';

const { items: CHILD_ITEMS, dimensions: CHILD_DIMENSIONS } = CLUSTERING_CHILD;
const CONTEXT = { region: 'us-east-1', accountId: '000000000000' };

const engine = await openEngine({ dataDir: process.argv[2]!, vectorClusteringMinimum: CHILD_ITEMS, ttlSweepIntervalMs: 0 });
await engine.handle('CreateTable', { ...vectorTableInput('Busy', CHILD_DIMENSIONS, { ProjectionType: 'KEYS_ONLY' }, { DistanceFunction: 'EUCLIDEAN', Projection: { ProjectionType: 'KEYS_ONLY' } }) }, CONTEXT);
const vectors = clusteredVectors(CHILD_ITEMS, 41, CHILD_DIMENSIONS);
for (let i = 0; i < CHILD_ITEMS; i += 25) {
  const requests = [];
  for (let j = i; j < i + 25; j++) requests.push({ PutRequest: { Item: { pk: { S: `item${j}` }, tenant: { S: `t${j % 2}` }, category: { S: `c${j % 8}` }, embedding: { L: numberList(vectors[j]!) } } } });
  await engine.handle('BatchWriteItem', { RequestItems: { Busy: requests } }, CONTEXT);
}
for (;;) {
  const clustering = engine.vectorSearchStatus(CONTEXT, 'Busy').cosine?.clustering;
  if (clustering?.phase === 'moving' && clustering.moved > 0) {
    process.stdout.write('moving\n');
    break;
  }
  await new Promise((resolve) => setImmediate(resolve));
}
// Keep going (the clustering with it) until killed.
setInterval(() => undefined, 1000);
