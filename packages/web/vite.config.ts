import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const target = process.env.KAIWU_API ?? "http://127.0.0.1:3100";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    port: 5173,
    proxy: {
      "/api": { target, changeOrigin: false },
      "/health": { target, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/health": { target, changeOrigin: false },
    },
  },
});
