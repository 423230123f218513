// @ts-check

/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server bundle for the Docker image (see Dockerfile).
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Security headers are set at the door, on every answer (lib/security/answer-headers.ts), not here:
  // a rule here would replace the policy that carries each page's nonce.
};

export default nextConfig;
