/**
 * The sign-in as the sign-in page does it now: without JavaScript the form posts to its Server Action
 * (app/(auth)/login/actions.ts); enhanced, it posts the same fields as JSON to /login/submit
 * (app/(auth)/login/submit/route.ts). For comparison, the enhanced form's earlier way: calling the
 * Server Action as Next's client does, whose answer carries the page re-rendered. Each is timed from
 * sending the post to the whole answer; the page itself was loaded before (login-page.ts), as in a
 * browser.
 */
import { createRequire } from "node:module";
import {
  cookieHeader,
  cookiePairs,
  sessionCookieFrom,
  SignInError,
  type SignInResult,
} from "./auth-client";
import { filledIn, type LoginPage } from "./login-page";

// Next's own copies of what its client runs, so the enhanced body is byte for byte what a browser sends.
const require = createRequire(import.meta.url);
const { encodeReply } = require("next/dist/compiled/react-server-dom-webpack/client.node") as {
  encodeReply: (value: unknown) => Promise<string | FormData>;
};
const { extractInfoFromServerReferenceId, omitUnusedArgs } =
  require("next/dist/shared/lib/server-reference-info") as {
    extractInfoFromServerReferenceId: (id: string) => unknown;
    omitUnusedArgs: (args: unknown[], info: unknown) => unknown[];
  };

/** The form's state before anything was sent (lib/validations/form-state.ts, INITIAL_FORM_STATE). */
const INITIAL_FORM_STATE = { status: 0, result: null, values: {} };

/** The form's answer to a refusal carries the status of the same answer on the JSON routes. */
const throttledIn = (text: string) => /\\?"status\\?":429\b/.test(text);

/** Headers a browser sends with any form post from the page to itself. */
function browserHeaders(page: LoginPage): Record<string, string> {
  return {
    origin: page.appUrl,
    "sec-fetch-site": "same-origin",
    ...(page.cookies.size > 0 ? { cookie: cookieHeader(page.cookies) } : {}),
  };
}

function signedIn(res: Response, started: number, ended: number): SignInResult {
  const jar = cookiePairs(res);
  return {
    ms: ended - started,
    steps: { post: ended - started },
    cookie: sessionCookieFrom(jar),
    signedInAt: Date.now(),
  };
}

/**
 * Without JavaScript: the browser posts the form (multipart, with React's hidden `$ACTION_…` fields)
 * to the page itself. Success is a 303 to /account carrying the session cookie.
 */
export async function noJsSignIn(
  page: LoginPage,
  email: string,
  password: string,
): Promise<SignInResult> {
  const body = filledIn(page, email, password);
  const started = performance.now();
  const res = await fetch(`${page.appUrl}/login`, {
    method: "POST",
    redirect: "manual",
    headers: browserHeaders(page),
    body,
  });
  const text = await res.text();
  const ended = performance.now();
  if (res.status !== 303 || res.headers.get("location") !== "/account") {
    throw new SignInError(
      `form post answered ${res.status}, not a 303 to /account`,
      throttledIn(text),
    );
  }
  return signedIn(res, started, ended);
}

/**
 * One enhanced post, timed from sending it to the end of its answer, which must be a 200 telling
 * the form to go to `/account` (the FormState's `goTo`, as JSON or inside the RSC answer).
 */
async function postExpectingGoTo(
  what: string,
  url: string,
  init: { headers: Record<string, string>; body: string | FormData },
): Promise<SignInResult> {
  const started = performance.now();
  const res = await fetch(url, { method: "POST", ...init });
  const text = await res.text();
  const ended = performance.now();
  if (res.status !== 200 || !text.includes('"goTo":"/account"')) {
    throw new SignInError(`${what} answered ${res.status} without goTo`, throttledIn(text));
  }
  return signedIn(res, started, ended);
}

/**
 * With JavaScript, as components/post-form-json.ts sends it: the form's own fields and the
 * callbackUrl as JSON. Success is the FormState `{ goTo }` and the session cookie.
 */
export async function enhancedSignIn(
  page: LoginPage,
  email: string,
  password: string,
): Promise<SignInResult> {
  return postExpectingGoTo("route", `${page.appUrl}/login/submit`, {
    headers: {
      ...browserHeaders(page),
      "content-type": "application/json",
      accept: "application/json",
    },
    body: JSON.stringify({ email, password, callbackUrl: "/account" }),
  });
}

/**
 * For comparison, not what the form does: the enhanced form's call of the Server Action, as Next's
 * client makes it (server-action-reducer.js): a POST to the page with `Next-Action`, the router
 * tree, and React's encoding of the arguments (previous state and the form's FormData). Its answer
 * also carries the page re-rendered, because the action set cookies; that is why the form posts to
 * the route instead.
 */
export async function actionSignIn(
  page: LoginPage,
  email: string,
  password: string,
): Promise<SignInResult> {
  const args = omitUnusedArgs(
    [INITIAL_FORM_STATE, filledIn(page, email, password)],
    extractInfoFromServerReferenceId(page.actionId),
  );
  return postExpectingGoTo("action call", `${page.appUrl}/login`, {
    headers: {
      ...browserHeaders(page),
      accept: "text/x-component",
      "next-action": page.actionId,
      "next-router-state-tree": page.routerStateTree,
    },
    body: await encodeReply(args),
  });
}
