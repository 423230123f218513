/** 4. Page weight: first-load JavaScript of each page next to a blank page of the same build. */
import { TARGETS } from "../config";
import { pageWeight, type PageWeight } from "../measure";
import { signInOrExplain, type Stack } from "../stack";

export async function measureWeight(stack: Stack) {
  const session = await signInOrExplain(stack, stack.users.main);
  const blank = await pageWeight(stack.appUrl, "/bench-blank");
  const pages: PageWeight[] = [];
  for (const [pathname, cookie] of [
    ["/login", undefined],
    ["/register", undefined],
    ["/forgot-password", undefined],
    ["/reset-password", undefined],
    ["/account", session.cookie],
  ] as const) {
    pages.push(await pageWeight(stack.appUrl, pathname, cookie));
  }
  return {
    compression: "gzip, zlib level 9, each script separately",
    blank,
    pages: pages.map((p) => ({
      ...p,
      extraGzipBytes: p.gzipBytes - blank.gzipBytes,
      pass: p.gzipBytes - blank.gzipBytes <= TARGETS.extraJsBytes,
    })),
  };
}
