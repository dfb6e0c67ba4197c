// globalSetup.mjs: test files find the endpoint in DYNAMO_LENS_ENDPOINT
import { startDynamoLens } from 'dynamo-lens';

export default async function globalSetup() {
  const lens = await startDynamoLens({ tables: 'template.yaml', seed: 'seed.json' });
  await lens.snapshot('seeded');
  process.env.DYNAMO_LENS_ENDPOINT = lens.endpoint;
  globalThis.dynamoLens = lens;
}
