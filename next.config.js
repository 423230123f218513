// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server bundle for the Docker image (see Dockerfile).
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
