// The console is served by the API's own server at /console (buurtwacht/console/routes.py).
import { defineConfig } from "vite";

export default defineConfig({
  base: "/console/",
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsDir: "assets",
    // No inline script anywhere: the page's Content-Security-Policy has script-src 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 800,
  },
  server: {
    // `npx vite` during development: the API runs on `make demo`'s port.
    proxy: { "/api": "http://127.0.0.1:5000", "/console/config.json": "http://127.0.0.1:5000" },
  },
});
