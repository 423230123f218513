import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const DIRECTUS_SDK = {
  name: "@directus/sdk",
  message: "Only lib/directus/ talks to Directus: add a typed function there.",
};
const BROWSER_SAFE =
  "Browser-safe code imports nothing server-side: move what both sides need to lib/validations/.";
const SERVER_MODULES = [
  "@/lib/auth/*",
  "@/lib/directus/*",
  "@/lib/forms/*",
  "@/lib/http/*",
  "@/lib/security/*",
  "@/lib/env",
];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
    },
  },
  // The module boundaries (docs/architecture.md): dependencies point one way, app → auth/http →
  // directus → env, and what the browser runs imports nothing server-side.
  {
    ignores: ["lib/directus/**", "tests/**"],
    rules: { "no-restricted-imports": ["error", { paths: [DIRECTUS_SDK] }] },
  },
  {
    files: ["components/**", "lib/validations/**", "lib/routes.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [DIRECTUS_SDK, { name: "server-only", message: BROWSER_SAFE }],
          patterns: [{ group: SERVER_MODULES, message: BROWSER_SAFE }],
        },
      ],
    },
  },
  {
    files: ["lib/directus/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/auth/*", "@/lib/http/*", "@/app/*", "@/components/*", "@/proxy"],
              message:
                "lib/directus/ depends on lib/env only: callers come to it, not the other way.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["scripts/**", "directus/**", "tests/**", "bench/**"],
    rules: { "no-console": "off" },
  },
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "directus/node_modules/**",
      "directus/extensions/*/dist/**",
      ".data/**",
      ".test-data/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
    ],
  },
];

export default config;
