// jest.config.mjs: run with `NODE_OPTIONS=--experimental-vm-modules npx jest` (the package is ES modules)
export default {
  globalSetup: './globalSetup.mjs',
  globalTeardown: './globalTeardown.mjs',
  testMatch: ['**/*.test.mjs'],
  transform: {},
};
