/** 4. Page weight: first-load JavaScript of each page next to a blank page of the same build. */
import { cookiePairs } from "../auth-client";
import { chunkDiff } from "../chunk-diff";
import { TARGETS } from "../config";
import { pageWeight, type PageWeight } from "../measure";
import { signInOrExplain, type Stack } from "../stack";

/**
 * The reset page shows its form only with a link's token, which the proxy moves from the address into
 * a cookie (303 to the bare path). The token is never checked before the form is sent, so any will do.
 */
async function resetLinkCookie(appUrl: string): Promise<string> {
  const res = await fetch(`${appUrl}/reset-password?token=bench-any-token`, { redirect: "manual" });
  await res.arrayBuffer();
  const jar = cookiePairs(res);
  if (res.status !== 303 || jar.size === 0)
    throw new Error(`GET /reset-password?token=… answered ${res.status} without a cookie`);
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

export async function measureWeight(stack: Stack) {
  const session = await signInOrExplain(stack, stack.users.main);
  const blank = await pageWeight(stack.appUrl, "/bench-blank");
  const pages: PageWeight[] = [];
  // `mustContain`: the form itself, so a page that lost its form (or a redirect) is not measured.
  for (const [pathname, cookie, mustContain] of [
    ["/login", undefined, 'name="password"'],
    ["/register", undefined, 'name="password"'],
    ["/forgot-password", undefined, 'name="email"'],
    ["/reset-password", await resetLinkCookie(stack.appUrl), 'name="password"'],
    ["/account", session.cookie, "Sign out"],
  ] as const) {
    pages.push(await pageWeight(stack.appUrl, pathname, { cookie, mustContain }));
  }
  const login = pages.find((p) => p.path === "/login");
  return {
    compression: "gzip, zlib level 9, each script separately",
    blank,
    pages: pages.map((p) => ({
      ...p,
      extraGzipBytes: p.gzipBytes - blank.gzipBytes,
      pass: p.gzipBytes - blank.gzipBytes <= TARGETS.extraJsBytes,
    })),
    loginChunks: login ? chunkDiff(login, blank) : null,
  };
}
