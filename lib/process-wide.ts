/**
 * One value per Node.js process, shared by every bundle in it. Next bundles proxy.ts and the route
 * handlers separately, so a plain module-level variable would exist once per bundle; state that the
 * proxy and the routes must both see (refresh flights, pending sign-outs, Directus's health) lives on
 * globalThis under a registered symbol instead.
 */
export function processWide<T>(name: string, create: () => T): T {
  const key = Symbol.for(`customer-auth.${name}`);
  const store = globalThis as typeof globalThis & Record<symbol, T | undefined>;
  store[key] ??= create();
  return store[key];
}

/** Tests only: the next processWide(name) creates the value afresh. */
export function forgetProcessWide(name: string): void {
  delete (globalThis as Record<symbol, unknown>)[Symbol.for(`customer-auth.${name}`)];
}
