// The web UI: React + Tailwind, built into ui/dist and served by `autocoder ui`. In development
// (`npx vite ui`), API calls and sockets go to the server given by AUTOCODER_SERVER
// (default http://127.0.0.1:8888); the server must list this origin in its allowed origins.
import { fileURLToPath } from 'node:url'

import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

import { precompress } from './precompress.js'
import { routePreloads } from './route-preloads.js'

const server = process.env['AUTOCODER_SERVER'] ?? 'http://127.0.0.1:8888'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), tailwindcss(), routePreloads(), precompress()],
  resolve: { alias: { '@core': fileURLToPath(new URL('../src/core', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: { '/api': { target: server, changeOrigin: true, ws: true } },
  },
})
