import { cpSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Main and preload are CommonJS (a sandboxed preload must be); the renderer is a plain web build.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/main/shell/main.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    plugins: [
      react(),
      {
        // pdf.js reads the standard PDF fonts and the CJK character maps from the app itself
        // (fetched from 'self'; nothing is loaded from the network).
        name: 'kura-pdfjs-assets',
        apply: 'build',
        closeBundle() {
          const from = resolve(import.meta.dirname, 'node_modules/pdfjs-dist');
          const to = resolve(import.meta.dirname, 'out/renderer/pdfjs');
          cpSync(resolve(from, 'standard_fonts'), resolve(to, 'standard_fonts'), {
            recursive: true,
          });
          cpSync(resolve(from, 'cmaps'), resolve(to, 'cmaps'), { recursive: true });
        },
      },
    ],
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src/renderer/index.html') },
    },
  },
});
