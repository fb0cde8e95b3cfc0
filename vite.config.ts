// The dashboard is built from web/ into dist/, which the server serves at `/`.
// `npm run dev` runs Vite's hot-reload server and proxies the API, the
// process endpoint and the WebSocket to a server started with `npm run serve`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const repo = path.dirname(fileURLToPath(import.meta.url));
const backend = process.env.SIM_BACKEND ?? 'http://127.0.0.1:7070';

export default defineConfig({
  root: path.join(repo, 'web'),
  plugins: [react()],
  build: {
    outDir: path.join(repo, 'dist'),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      treeshake: {
        // The page takes types and a few shared functions from
        // server/contract.ts; the request schemas there are the server's, and
        // without this the bundler keeps them (and zod) in case building them
        // had effects.
        moduleSideEffects: (id) => !id.endsWith('/server/contract.ts'),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/v1': { target: backend, changeOrigin: false },
      '/sqibs-api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend, changeOrigin: false },
      '/ws': { target: backend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
