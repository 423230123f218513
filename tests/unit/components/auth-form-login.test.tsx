// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { SignInResponse } from "next-auth/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthForm } from "@/components/auth-form";
import type * as FormRequest from "@/components/form-request";
import { NETWORK_ERROR_MESSAGE } from "@/components/form-request";
import { deferred } from "./helpers";

const mocks = vi.hoisted(() => ({
  signIn:
    vi.fn<
      (provider: string, options: Record<string, unknown>) => Promise<SignInResponse | undefined>
    >(),
  leavePageFor: vi.fn<(path: string) => void>(),
}));

vi.mock("next-auth/react", () => ({ signIn: mocks.signIn }));
vi.mock("@/lib/validations/login-errors", () => ({
  loginErrorMessage: (code: string | null | undefined) =>
    code === "CredentialsSignin" ? "Incorrect email or password." : code ? "Sign-in failed." : null,
}));
vi.mock("@/components/form-request", async (importOriginal) => ({
  ...(await importOriginal<typeof FormRequest>()),
  leavePageFor: mocks.leavePageFor,
}));

const accepted: SignInResponse = {
  ok: true,
  error: null,
  status: 200,
  url: "http://localhost:3000/account",
};
// next-auth v4 reports a refused sign-in with ok: true and an error code.
const refused: SignInResponse = { ok: true, error: "CredentialsSignin", status: 200, url: null };

afterEach(cleanup);
beforeEach(() => {
  mocks.signIn.mockReset();
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
    render(<AuthForm variant="login" />);
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

  it("shows errors tied to their fields and sends nothing when the form is invalid", async () => {
    render(<AuthForm variant="login" />);
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
    expect(mocks.signIn).not.toHaveBeenCalled();
  });

  it("clears a field's error as soon as its value becomes valid", async () => {
    render(<AuthForm variant="login" />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("aria-invalid", "true");
    await user.type(password, "x");
    expect(password).toHaveAttribute("aria-invalid", "false");
    expect(password).not.toHaveAccessibleDescription();
  });

  it("checks the email when the field is left, without waiting for submit", async () => {
    render(<AuthForm variant="login" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "ada@");
    await user.tab();
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/valid email address/);
    // An untouched password is not flagged just because focus passed through it.
    await user.tab();
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "false");
  });

  it("shows a pending state while signing in and ignores a second submit", async () => {
    const pending = deferred<SignInResponse | undefined>();
    mocks.signIn.mockReturnValue(pending.promise);
    render(<AuthForm variant="login" />);
    const user = await fillAndSubmit("ada@example.com", "correct horse");

    const button = screen.getByRole("button", { name: "Signing in…" });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");
    await user.type(screen.getByLabelText("Email"), "{Enter}");
    expect(mocks.signIn).toHaveBeenCalledTimes(1);

    pending.resolve(accepted);
    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/account"));
  });

  it("sends the normalised email with redirect: false", async () => {
    mocks.signIn.mockResolvedValue(accepted);
    render(<AuthForm variant="login" />);
    await fillAndSubmit("  Ada@Example.COM ", "  spaces count  ");
    await waitFor(() => expect(mocks.signIn).toHaveBeenCalledTimes(1));
    expect(mocks.signIn).toHaveBeenCalledWith("credentials", {
      email: "ada@example.com",
      password: "  spaces count  ",
      redirect: false,
    });
  });

  it("shows the sign-in error, keeps the email and clears the password", async () => {
    mocks.signIn.mockResolvedValue(refused);
    render(<AuthForm variant="login" />);
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
    render(<AuthForm variant="login" email="ada@example.com" />);
    expect(screen.getByLabelText("Email")).toHaveValue("ada@example.com");
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("offers the confirmation link again on a refused sign-in (an unconfirmed account looks the same)", async () => {
    mocks.signIn.mockResolvedValue(refused);
    render(<AuthForm variant="login" />);
    await fillAndSubmit("ada@example.com", "wrong password");
    const link = await screen.findByRole("link", { name: /send the link again/i });
    expect(link).toHaveAttribute("href", "/resend-confirmation");
  });

  it("does not offer the link when the sign-in never reached a verdict", async () => {
    mocks.signIn.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<AuthForm variant="login" />);
    await fillAndSubmit("ada@example.com", "correct horse");
    await screen.findByRole("alert");
    expect(screen.queryByRole("link", { name: /send the link again/i })).not.toBeInTheDocument();
  });

  it("puts the error in a polite live region that exists before the error does", async () => {
    mocks.signIn.mockResolvedValue(refused);
    const { container } = render(<AuthForm variant="login" />);
    const region = container.querySelector('[aria-live="polite"]');
    expect(region).toBeInTheDocument();
    expect(region).toBeEmptyDOMElement();
    await fillAndSubmit("ada@example.com", "wrong password");
    await waitFor(() => expect(region).toHaveTextContent("Incorrect email or password."));
  });

  it("reports a network failure in plain words", async () => {
    mocks.signIn.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<AuthForm variant="login" />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent(NETWORK_ERROR_MESSAGE);
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("falls back to a generic message when next-auth gives no usable answer", async () => {
    mocks.signIn.mockResolvedValue(undefined);
    render(<AuthForm variant="login" />);
    await fillAndSubmit("ada@example.com", "correct horse");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "We couldn't sign you in. Try again.",
    );
  });

  it.each([
    ["/account/settings?tab=security", "/account/settings?tab=security"],
    ["/orders#latest", "/orders#latest"],
    ["https://evil.example/steal", "/account"],
    ["//evil.example/steal", "/account"],
    ["/\\evil.example/steal", "/account"],
    ["/\t/evil.example/steal", "/account"],
    ["javascript:alert(1)", "/account"],
    ["http://localhost:3000/account", "/account"],
    [undefined, "/account"],
  ])("after signing in with callbackUrl %j, goes to %s", async (callbackUrl, expected) => {
    mocks.signIn.mockResolvedValue(accepted);
    render(<AuthForm variant="login" callbackUrl={callbackUrl} />);
    await fillAndSubmit("ada@example.com", "correct horse");
    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith(expected));
    // The button stays pending: the page is about to be replaced.
    expect(screen.getByRole("button", { name: "Signing in…" })).toBeDisabled();
  });
});
