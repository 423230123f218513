// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthForm } from "@/components/auth-form";
import type * as LeavePage from "@/components/leave-page";
import { NETWORK_ERROR_MESSAGE } from "@/components/leave-page";
import type { FormState } from "@/lib/validations/form-state";
import { HttpResponse, http } from "msw";
import { deferred, mockAction, refusedState, setupMswServer } from "./helpers";

const mocks = vi.hoisted(() => ({ leavePageFor: vi.fn<(path: string) => void>() }));

vi.mock("@/components/leave-page", async (importOriginal) => ({
  ...(await importOriginal<typeof LeavePage>()),
  leavePageFor: mocks.leavePageFor,
}));

const accepted: FormState = { status: 200, result: { ok: true }, values: {}, goTo: "/account" };
const refused = refusedState(401, "Incorrect email or password.");

/** The page's Server Action: what the form posts without JavaScript. The enhanced form must not call it. */
const action = mockAction();
/**
 * The enhanced form's route (app/(auth)/login/submit/route.ts), served by msw: called with the JSON
 * body the form sent, it answers a FormState at that state's status; a rejection is a lost connection.
 */
const route = vi.fn<(body: Record<string, string>) => Promise<FormState>>();
const server = setupMswServer();
const SUBMIT_URL = new URL("/login/submit", window.location.href).href;
beforeEach(() => {
  server.use(
    http.post(SUBMIT_URL, async ({ request }) => {
      try {
        const state = await route((await request.json()) as Record<string, string>);
        return HttpResponse.json(state, { status: state.status || 200 });
      } catch {
        return HttpResponse.error();
      }
    }),
  );
});

function postedFields(call = 0) {
  return route.mock.calls[call]?.[0];
}

// The form fetches its schema check on first use (auth-form-check.ts); loaded here once, the checks
// below answer as fast as they do for someone already typing.
beforeAll(() => import("@/components/auth-form-check"));
afterEach(cleanup);
beforeEach(() => {
  action.mockReset();
  route.mockReset();
  mocks.leavePageFor.mockReset();
});

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), email);
  await user.type(screen.getByLabelText("Password"), password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  return user;
}

describe("AuthForm variant login", () => {
  it("labels every field and asks the browser for the right autofill", () => {
    render(<AuthForm variant="login" action={action} />);
    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("type", "email");
    expect(email).toHaveAttribute("autocomplete", "email");
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("type", "password");
    expect(password).toHaveAttribute("autocomplete", "current-password");
    // Sign-in never lectures about password rules.
    expect(screen.queryByText(/at least \d+ characters/i)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("is a form that can only be sent with POST, whatever runs in the browser", () => {
    render(<AuthForm variant="login" action={action} />);
    const form = screen.getByRole("form", { name: "Sign in" });
    // React renders a function action as a POST form; a form without one would fall back to GET.
    expect(form.getAttribute("action")).not.toBeNull();
    expect(form.getAttribute("method") ?? "post").not.toMatch(/get/i);
  });

  it("shows errors tied to their fields and sends nothing when the form is invalid", async () => {
    render(<AuthForm variant="login" action={action} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "not-an-email");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription(
      "Enter a valid email address, like name@example.com.",
    );
    const describedBy = email.getAttribute("aria-describedby") ?? "";
    expect(document.getElementById(describedBy)).toHaveTextContent(/valid email address/);
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("aria-invalid", "true");
    expect(password).toHaveAccessibleDescription("Enter your password.");
    expect(email).toHaveFocus();
    expect(route).not.toHaveBeenCalled();
  });

  it("clears a field's error as soon as its value becomes valid", async () => {
    render(<AuthForm variant="login" action={action} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("aria-invalid", "true");
    await user.type(password, "x");
    expect(password).toHaveAttribute("aria-invalid", "false");
    expect(password).not.toHaveAccessibleDescription();
  });

  it("checks the email when the field is left, without waiting for submit", async () => {
    render(<AuthForm variant="login" action={action} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "ada@");
    await user.tab();
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/valid email address/);
    // An untouched password is not flagged just because focus passed through it.
    await user.tab();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "false");
  });

  it("shows a pending state while signing in and ignores a second submit", async () => {
    const pending = deferred<FormState>();
    route.mockReturnValue(pending.promise);
    render(<AuthForm variant="login" action={action} />);
    const user = await fillAndSubmit("ada@example.com", "correct horse");

    const button = screen.getByRole("button", { name: "Signing in…" });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");
    await user.type(screen.getByLabelText("Email"), "{Enter}");
    expect(route).toHaveBeenCalledTimes(1);

    pending.resolve(accepted);
    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/account"));
    // The button stays pending: the page is about to be replaced.
    expect(screen.getByRole("button", { name: "Signing in…" })).toBeDisabled();
  });

  it("posts the fields as typed: the server normalises and judges them", async () => {
    route.mockResolvedValue(accepted);
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("  Ada@Example.COM ", "  spaces count  ");
    await waitFor(() => expect(route).toHaveBeenCalledTimes(1));
    expect(postedFields()).toEqual({
      // An email input trims its own value; the case is left for the server.
      email: "Ada@Example.COM",
      password: "  spaces count  ",
    });
  });

  it("carries the callbackUrl from the address for the server to judge", async () => {
    route.mockResolvedValue({ ...accepted, goTo: "/account/settings" });
    render(<AuthForm variant="login" action={action} callbackUrl="/account/settings" />);
    await fillAndSubmit("ada@example.com", "correct horse");
    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/account/settings"));
    expect(postedFields()).toMatchObject({ callbackUrl: "/account/settings" });
  });

  it("shows the sign-in error, keeps the email and clears the password", async () => {
    route.mockResolvedValue(refused);
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "wrong password");

    expect(await screen.findByRole("alert")).toHaveTextContent("Incorrect email or password.");
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    const password = screen.getByLabelText("Password");
    expect(password).toHaveValue("");
    expect(password).toHaveFocus();
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
    expect(mocks.leavePageFor).not.toHaveBeenCalled();
  });

  it("starts with the email filled in right after a confirmation", () => {
    render(<AuthForm variant="login" action={action} email="ada@example.com" />);
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("offers the confirmation link again on a refused sign-in (an unconfirmed account looks the same)", async () => {
    route.mockResolvedValue(refused);
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "wrong password");
    const link = await screen.findByRole("link", { name: /send the link again/i });
    expect(link).toHaveAttribute("href", "/resend-confirmation");
  });

  it("does not offer the link when the sign-in never reached a verdict", async () => {
    route.mockResolvedValue(refusedState(503, "Sign-in is temporarily unavailable."));
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent("temporarily unavailable");
    expect(screen.queryByRole("link", { name: /send the link again/i })).not.toBeInTheDocument();
  });

  it("puts the error in a polite live region that exists before the error does", async () => {
    route.mockResolvedValue(refused);
    const { container } = render(<AuthForm variant="login" action={action} />);
    const region = container.querySelector('[aria-live="polite"]');
    expect(region).toBeInTheDocument();
    expect(region).toBeEmptyDOMElement();
    await fillAndSubmit("ada@example.com", "wrong password");
    await waitFor(() => expect(region).toHaveTextContent("Incorrect email or password."));
  });

  it("reports a network failure in plain words", async () => {
    route.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent(NETWORK_ERROR_MESSAGE);
    expect(screen.getByLabelText("Password")).toHaveValue("");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("enhanced, posts only its own fields as JSON to its route, never to the Server Action", async () => {
    route.mockResolvedValue(accepted);
    render(<AuthForm variant="login" action={action} callbackUrl="/account" />);
    await fillAndSubmit("ada@example.com", "correct horse");
    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/account"));
    // React's own `$ACTION_` fields would be refused by the route's strict schema.
    expect(postedFields()).toEqual({
      email: "ada@example.com",
      password: "correct horse",
      callbackUrl: "/account",
    });
    expect(action).not.toHaveBeenCalled();
  });

  it("shows a refusal made before the form's code ran (a cross-site or unreadable post)", async () => {
    server.use(
      http.post(SUBMIT_URL, () =>
        HttpResponse.json(
          { ok: false, message: "This request was refused. Reload the page and try again." },
          { status: 403 },
        ),
      ),
    );
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent("This request was refused.");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("reads a gateway's HTML error page as a lost connection, not as an answer", async () => {
    server.use(
      http.post(SUBMIT_URL, () => HttpResponse.html("<h1>502 Bad Gateway</h1>", { status: 502 })),
    );
    render(<AuthForm variant="login" action={action} />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent(NETWORK_ERROR_MESSAGE);
    expect(screen.queryByText(/Bad Gateway/)).not.toBeInTheDocument();
  });
});
