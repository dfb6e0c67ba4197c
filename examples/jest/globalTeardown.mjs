// globalTeardown.mjs
export default async function globalTeardown() {
  await globalThis.dynamoLens.close();
}
