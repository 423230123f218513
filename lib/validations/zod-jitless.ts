import * as z from "zod/mini";

/**
 * Zod compiles fast object parsers with `new Function` once it has probed that eval works. Under the
 * Content-Security-Policy (no 'unsafe-eval' in production) the probe fails quietly, but the browser
 * still reports a CSP violation for it on every page with a form. Parsing without the JIT costs
 * nothing noticeable for forms this size.
 *
 * Import this module before any module that builds a zod schema: ESM runs imports in order, and zod
 * decides about its JIT when an object schema is created.
 */
z.config({ jitless: true });
