/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The page is embedded by Tauri from ui/dist (tauri.conf.json: build.frontendDist
// "../ui/dist", devUrl http://localhost:5173). No plugin is needed: esbuild
// compiles the Preact JSX.
export default defineConfig({
  base: './',
  clearScreen: false,
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    // The webviews Tauri 2 runs in: WebView2 (Chromium), WKWebView, WebKitGTK.
    target: ['es2021', 'chrome105', 'safari15'],
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['tests/**/*.test.{ts,tsx}'],
    setupFiles: ['tests/setup.ts'],
    restoreMocks: false,
  },
});
