import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The analysts' UI is served by the client panel at / (through the permission proxy, which sends every
// path that is not /auth, /ingest, /api or /admin here). `npm run build` writes it to client-panel/dist-ui.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist-ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
