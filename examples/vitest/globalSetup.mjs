// globalSetup.mjs: one Dynamo Lens for the whole run; test files reach it through inject()
import { startDynamoLens } from 'dynamo-lens';

export default async function setup({ provide }) {
  const lens = await startDynamoLens({ tables: 'template.yaml', seed: 'seed.json' });
  await lens.snapshot('seeded');
  provide('dynamoLensEndpoint', lens.endpoint);
  return () => lens.close();
}
