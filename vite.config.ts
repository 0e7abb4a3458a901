import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The renderer only; the Electron main process and preload are bundled by scripts/build-electron.mjs.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
  },
});
