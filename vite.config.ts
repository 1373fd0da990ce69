import react from '@vitejs/plugin-react'
import { compression } from 'vite-plugin-compression2'
import { defineConfig } from 'vitest/config'

const serverPort = process.env.PORT ?? '3000'

export default defineConfig({
  root: 'client',
  envDir: '..',
  // Brotli and gzip copies of every text asset, made once at build time and chosen by the server
  // (@fastify/static preCompressed) from Accept-Encoding: no compression work per request.
  plugins: [react(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024, include: /\.(html|css|json|js|mjs|svg|txt|map)$/ })],
  build: { outDir: '../dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/sync': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
    },
  },
  test: {
    root: '.',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './tests/summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit+integration', include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'], exclude: ['tests/e2e/**'], sequence: { groupOrder: 0 } },
      },
      {
        // Browser tests run after the others, alone, so their latency checks measure the
        // product rather than CPU contention with parallel test files on a 2-core machine.
        extends: true,
        // A whole session in three browsers takes ~25 s here; slower machines get room.
        test: { name: 'browser', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 }, testTimeout: 90_000 },
      },
    ],
  },
})
