// Vite + Vitest config of the dashboard. Root scripts run it from the repository root
// (`vite build --config apps/dashboard/vite.config.mts`), so every path is anchored to this
// file's directory rather than to the working directory.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const dashboardRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const server = 'http://localhost:3000';

export default defineConfig({
  root: dashboardRoot,
  // Keep Vite's and Vitest's caches in the repository's node_modules, not in apps/dashboard.
  cacheDir: `${repoRoot}node_modules/.vite/dashboard`,
  // The server serves the built dashboard at `/`, so assets live under `/assets/`.
  base: '/',
  plugins: [react()],
  resolve: {
    // Wire types and schemas shared with the server (ARCHITECTURE.md): one library, never copied.
    alias: { '@tessera/contracts': `${repoRoot}libs/shared/contracts/src/index.ts` },
  },
  build: {
    outDir: `${repoRoot}dist/dashboard`,
    emptyOutDir: true,
    // Screens are lazy routes (App.tsx), so Rolldown already splits the rest by use: the charts
    // (recharts, d3) travel only with the overview, forms and tables with their screens. React
    // itself gets a chunk of its own: it changes with upgrades only, so it stays cached (the
    // server sends /assets/* as immutable for a year) across deployments of the dashboard.
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [{ name: 'react', test: /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/ }],
        },
      },
    },
  },
  server: {
    // Anchored patterns so dashboard routes such as `/tenants/...` are not sent to the server.
    proxy: {
      '^/t/': server,
      '^/admin/': server,
      '/.well-known': server,
      '/healthz': server,
      '/readyz': server,
    },
  },
  test: {
    environment: 'jsdom',
    // Relative to `root` (apps/dashboard): only the dashboard's tests, never the server's Jest specs.
    include: ['src/**/*.test.tsx'],
    setupFiles: ['./src/test/setup.ts'],
    // Mantine renders through portals and transitions: give slow CI machines room.
    testTimeout: 15_000,
  },
});
