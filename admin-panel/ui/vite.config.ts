import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The admin UI is served by the admin panel under /admin/ (through the permission proxy), so every asset
// URL is built under that base. `npm run build` writes it to admin-panel/dist-ui.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // The building blocks both panels share (elements, forms, session, login, HTTP client, base style).
  resolve: { alias: { '@repopulse/web': fileURLToPath(new URL('../../core/web', import.meta.url)) } },
  base: '/admin/',
  build: {
    outDir: fileURLToPath(new URL('../dist-ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
});
