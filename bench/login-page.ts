/**
 * The sign-in page as a browser holds it before the customer presses "Sign in": the form's fields
 * exactly as React rendered them (its hidden `$ACTION_…` inputs included), the Server Action's id and
 * the router state the enhanced form sends along. Read once per customer, outside any timing: a
 * browser already has the page when the sign-in starts.
 */
import { cookiePairs } from "./auth-client";

export type LoginPage = {
  appUrl: string;
  /** Cookies the page set; a browser sends them back with the post. */
  cookies: Map<string, string>;
  /** Every field the form submits, in document order, with the values React rendered. */
  fields: Array<[name: string, value: string]>;
  /** The Server Action's id, read from React's hidden inputs (what the client's reference holds). */
  actionId: string;
  /** `Next-Router-State-Tree` as the enhanced form sends it (the page's tree, URI-encoded JSON). */
  routerStateTree: string;
};

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] !== "#") return ENTITIES[code.toLowerCase()] ?? whole;
    const hex = code[1] === "x" || code[1] === "X";
    return String.fromCodePoint(parseInt(code.slice(hex ? 2 : 1), hex ? 16 : 10));
  });
}

function attributesOf(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/\s([^\s=/>]+)(?:="([^"]*)")?/g)) {
    attrs.set((m[1] ?? "").toLowerCase(), unescapeHtml(m[2] ?? ""));
  }
  return attrs;
}

/** What a browser's form submission would include: named inputs, minus buttons and unchecked boxes. */
function submittedFields(formHtml: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  for (const m of formHtml.matchAll(/<input\b[^>]*>/g)) {
    const attrs = attributesOf(m[0].slice("<input".length));
    const name = attrs.get("name");
    const type = attrs.get("type") ?? "text";
    if (!name || attrs.has("disabled") || ["submit", "button", "image", "reset"].includes(type))
      continue;
    if ((type === "checkbox" || type === "radio") && !attrs.has("checked")) continue;
    fields.push([name, attrs.get("value") ?? ""]);
  }
  return fields;
}

/** React writes the action as `$ACTION_ID_<id>` (nothing bound) or `$ACTION_<n>:0` = `{"id":…}`. */
function actionIdOf(fields: Array<[string, string]>): string {
  for (const [name, value] of fields) {
    if (name.startsWith("$ACTION_ID_")) return name.slice("$ACTION_ID_".length);
    if (/^\$ACTION_\d+:0$/.test(name)) {
      const id = (JSON.parse(value) as { id?: unknown }).id;
      if (typeof id === "string") return id;
    }
  }
  throw new Error("the sign-in form has no Server Action fields ($ACTION_…)");
}

type RenderNode = { s?: unknown; h?: number; c?: unknown };

/**
 * `Next-Router-State-Tree` as Next 16's client sends it: the page's tree, each level
 * `[segment, children, null, null, prefetch hints]` (hints 0 when absent), URI-encoded JSON. Read from
 * the RSC payload inlined in the HTML (`self.__next_f.push([1, "…"])`): row 0's `t.t` is the root,
 * and `c` is each level's children, by reference (`$Q<row>`) to a row of `[slot, node]` pairs.
 * Checked against what Chromium sent for this page.
 */
function routerStateTreeOf(html: string): string {
  let payload = "";
  for (const m of html.matchAll(/self\.__next_f\.push\((\[1,"(?:[^"\\]|\\.)*"\])\)/g)) {
    payload += (JSON.parse(m[1] ?? "[]") as [number, string])[1];
  }
  const rows = new Map<string, string>();
  for (const line of payload.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) rows.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const row = (id: string): unknown => {
    const text = rows.get(id);
    if (text === undefined) throw new Error(`no RSC row ${id} in the sign-in page`);
    return JSON.parse(text);
  };
  const stateOf = (node: RenderNode): unknown[] => {
    let pairs: unknown = node.c ?? [];
    if (typeof pairs === "string" && pairs.startsWith("$Q")) pairs = row(pairs.slice(2));
    if (!Array.isArray(pairs)) throw new Error("unexpected children in the sign-in page's tree");
    const children = Object.fromEntries(
      (pairs as Array<[string, RenderNode]>).map(([slot, child]) => [slot, stateOf(child)]),
    );
    return [node.s, children, null, null, node.h ?? 0];
  };
  const root = (row("0") as { t?: { t?: RenderNode } }).t?.t;
  if (!root) throw new Error("no router tree in the sign-in page's RSC payload");
  return encodeURIComponent(JSON.stringify(stateOf(root)));
}

export async function openLoginPage(appUrl: string): Promise<LoginPage> {
  const res = await fetch(`${appUrl}/login`, { redirect: "manual" });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /login answered ${res.status}`);
  const form = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .find((f) => /name="password"/.test(f));
  if (!form) throw new Error("GET /login: no form with a password field");
  const fields = submittedFields(form);
  return {
    appUrl,
    cookies: cookiePairs(res),
    fields,
    actionId: actionIdOf(fields),
    routerStateTree: routerStateTreeOf(html),
  };
}

/** The form's fields with the customer's email and password typed in. */
export function filledIn(page: LoginPage, email: string, password: string): FormData {
  const body = new FormData();
  const typed: Record<string, string> = { email, password };
  for (const [name, value] of page.fields) body.append(name, typed[name] ?? value);
  for (const name of Object.keys(typed)) {
    if (!page.fields.some(([n]) => n === name)) throw new Error(`the form has no ${name} field`);
  }
  return body;
}
