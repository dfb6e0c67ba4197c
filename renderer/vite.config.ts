import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const monacoEsm = fileURLToPath(new URL('../node_modules/monaco-editor/esm/', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative URLs: the same build is served from app://dynamo-lens/ in Electron and from the
  // browser bridge's http://127.0.0.1:<port>/.
  base: './',
  plugins: [react()],
  resolve: {
    // monaco-editor's exports map appends ".js" to every subpath, which hides its CSS files;
    // address its ESM tree directly instead.
    alias: [{ find: /^monaco-editor\/esm\/(.*)$/, replacement: `${monacoEsm}$1` }],
  },
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 5000,
  },
});
