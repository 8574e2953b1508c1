import { defineConfig } from "vite";

/** The web app: client/ built into dist/client, which the server serves at /. */
export default defineConfig({
  root: "client",
  publicDir: false,
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2020",
    // Phones on slow networks: one small entry for residents; grower and admin pages load apart.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
});
