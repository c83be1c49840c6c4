import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The analysts' UI is served by the client panel at / (through the permission proxy, which sends every
// path that is not /auth, /ingest, /api or /admin here). `npm run build` writes it to client-panel/dist-ui.
// Each dashboard is its own chunk, loaded when first opened; chart.js (only the parts registered in
// charts/chart-registry.ts) is one shared chunk the browser caches across dashboards.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The building blocks both panels share (elements, forms, session, login, HTTP client, base style).
  resolve: { alias: { '@repopulse/web': fileURLToPath(new URL('../../core/web', import.meta.url)) } },
  base: '/',
  build: {
    outDir: fileURLToPath(new URL('../dist-ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      output: {
        manualChunks: (id: string) => (/node_modules\/(chart\.js|@kurkle)\//.test(id) ? 'charts' : undefined),
      },
    },
  },
});
