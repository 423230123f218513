// @ts-check
import { nextConfigHeaders } from "./lib/security/headers.js";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server bundle for the Docker image (see Dockerfile).
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Security headers on every response, including those proxy.ts never sees (see lib/security/headers.js).
  async headers() {
    return nextConfigHeaders({ development: process.env.NODE_ENV === "development" });
  },
};

export default nextConfig;
