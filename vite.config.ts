import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const serverPort = process.env.PORT ?? '3000'

export default defineConfig({
  root: 'client',
  envDir: '..',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  server: {
    proxy: {
      '/api': `http://127.0.0.1:${serverPort}`,
      '/sync': { target: `ws://127.0.0.1:${serverPort}`, ws: true },
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: true,
  },
})
