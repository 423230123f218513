import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const DIRECTUS_SDK = {
  name: "@directus/sdk",
  message: "Only lib/directus/ talks to Directus: add a typed function there.",
};
const BROWSER_SAFE =
  "Browser-safe code imports nothing server-side: move what both sides need to lib/validations/.";
const SERVER_MODULES = [
  "@/lib/abuse/*",
  "@/lib/auth/*",
  "@/lib/directus/*",
  "@/lib/forms/*",
  "@/lib/http/*",
  "@/lib/security/*",
  "@/lib/env",
];

/** A Tailwind palette colour class such as `bg-indigo-600`, `hover:text-white` or `ring-black/5`. */
const PALETTE_CLASS =
  "\\b(?:bg|text|border|ring|outline|fill|stroke|from|via|to|divide|placeholder|accent|caret|decoration|shadow)-(?:(?:slate|gray|zinc|neutral|stone|red|orange|amber|yellow|lime|green|emerald|teal|cyan|sky|blue|indigo|violet|purple|fuchsia|pink|rose)-\\d{2,3}|white|black)\\b";

/** Whatever sits on top: pages, actions, routes, the proxy and browser code. */
const CALLERS = ["@/app/*", "@/components/*", "@/proxy"];

/** A relative import out of its folder would slip past the rules below, which match `@/` paths. */
const NO_PARENT_IMPORT = {
  regex: "^\\.\\./",
  message: "Import other folders through `@/…`, so the layer rules can see the import.",
};

/** A lib/ folder that may not import `forbidden` (nor, like every server module, the Directus SDK). */
function layer(files, forbidden, message) {
  return {
    files,
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [DIRECTUS_SDK], patterns: [{ group: forbidden, message }, NO_PARENT_IMPORT] },
      ],
    },
  };
}

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": ["error", { allow: ["warn", "error", "info"] }],
    },
  },
  // The module boundaries (docs/architecture.md): dependencies point one way, app → forms → auth →
  // abuse → directus → env, lib/http is plumbing that imports none of forms, auth and abuse, and what
  // the browser runs imports nothing server-side. Each block repeats DIRECTUS_SDK: a later block's
  // rule replaces an earlier one's for the same files.
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
          patterns: [{ group: SERVER_MODULES, message: BROWSER_SAFE }, NO_PARENT_IMPORT],
        },
      ],
    },
  },
  layer(
    ["lib/http/**"],
    [...CALLERS, "@/lib/forms/*", "@/lib/auth/*", "@/lib/abuse/*"],
    "lib/http/ is plumbing: it knows no form, no next-auth and no throttle. Pass what it needs in.",
  ),
  layer(
    ["lib/abuse/**"],
    [...CALLERS, "@/lib/forms/*", "@/lib/auth/*"],
    "lib/abuse/ is called by the forms and next-auth glue, not the other way round.",
  ),
  layer(
    ["lib/auth/**"],
    [...CALLERS, "@/lib/forms/*"],
    "lib/auth/ is called by the forms and routes, not the other way round.",
  ),
  layer(
    ["lib/forms/**"],
    CALLERS,
    "lib/forms/ is called by the pages' actions and the JSON routes, not the other way round.",
  ),
  {
    files: ["lib/directus/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [...CALLERS, "@/lib/forms/*", "@/lib/auth/*", "@/lib/abuse/*", "@/lib/http/*"],
              message:
                "lib/directus/ depends on lib/env only: callers come to it, not the other way.",
            },
            NO_PARENT_IMPORT,
          ],
        },
      ],
    },
  },
  // Colours are the theme's tokens (app/globals.css, docs/adopt.md): a Tailwind palette class would
  // escape `npm run theme`, the dark scheme and the contrast checks.
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...["Literal[value=/%s/]", "TemplateElement[value.raw=/%s/]"].map((selector) => ({
          selector: selector.replace("%s", PALETTE_CLASS),
          message: "Use a theme colour token (bg-brand, text-fg-muted…), not Tailwind's palette.",
        })),
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
