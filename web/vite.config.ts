/// <reference types="vitest/config" />
// The board's build (web/dist, what `stork serve` serves at /) and its unit tests.
// `npm run dev` proxies the API and the event stream to a running `stork serve`
// (STORK_URL, default http://127.0.0.1:3000).
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

const target = process.env.STORK_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/ws": { target: target.replace(/^http/, "ws"), ws: true },
    },
  },
  test: {
    environment: "jsdom",
    include: ["test/**/*.test.{ts,tsx}"],
  },
});
