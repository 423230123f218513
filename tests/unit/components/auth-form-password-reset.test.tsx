// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthForm } from "@/components/auth-form";
import type * as FormRequest from "@/components/form-request";
import { setupMswServer } from "./helpers";

const mocks = vi.hoisted(() => ({ leavePageFor: vi.fn<(path: string) => void>() }));

vi.mock("next-auth/react", () => ({ signIn: vi.fn() }));
vi.mock("@/lib/validations/login-errors", () => ({ loginErrorMessage: () => null }));
vi.mock("@/components/form-request", async (importOriginal) => ({
  ...(await importOriginal<typeof FormRequest>()),
  leavePageFor: mocks.leavePageFor,
}));

const server = setupMswServer();
afterEach(cleanup);
beforeEach(() => {
  mocks.leavePageFor.mockReset();
});

const SAME_ANSWER = "If an account exists for that email, we've sent a link.";

describe("AuthForm variant forgot-password", () => {
  it("asks only for the email", () => {
    render(<AuthForm variant="forgot-password" />);
    expect(screen.getByLabelText("Email")).toHaveAttribute("autocomplete", "email");
    expect(screen.queryByLabelText(/password/i)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send reset link" })).toBeEnabled();
  });

  it("sends nothing for an invalid email", async () => {
    render(<AuthForm variant="forgot-password" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "ada.example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/valid email address/);
    // msw fails the test on any request without a handler; none is registered here.
  });

  it("answers with the same neutral panel and lets the visitor start over", async () => {
    let received: unknown;
    server.use(
      http.post("/api/auth/forgot-password", async ({ request }) => {
        received = await request.json();
        return HttpResponse.json({ ok: true, message: SAME_ANSWER }, { status: 202 });
      }),
    );
    render(<AuthForm variant="forgot-password" />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "Ada@Example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toHaveFocus();
    expect(screen.getByText(/if an account exists for/i)).toHaveTextContent(
      "If an account exists for ada@example.com, we've sent a link to reset its password.",
    );
    expect(received).toEqual({ email: "ada@example.com" });

    await user.click(screen.getByRole("button", { name: "Use a different email" }));
    expect(screen.getByLabelText("Email")).toHaveValue("");
    expect(screen.getByLabelText("Email")).toHaveFocus();
  });
});

describe("AuthForm variant reset-password", () => {
  const TOKEN = "reset-token-123";

  it("asks for a new password with the new-password autofill and a hint", () => {
    render(<AuthForm variant="reset-password" token={TOKEN} passwordMinLength={12} />);
    const password = screen.getByLabelText("New password");
    expect(password).toHaveAttribute("type", "password");
    expect(password).toHaveAttribute("autocomplete", "new-password");
    expect(password).toHaveAccessibleDescription(/At least 12 characters\./);
  });

  it("sends the token with the password and goes to sign-in on success", async () => {
    let received: unknown;
    server.use(
      http.post("/api/auth/reset-password", async ({ request }) => {
        received = await request.json();
        return HttpResponse.json({ ok: true }, { status: 200 });
      }),
    );
    render(<AuthForm variant="reset-password" token={TOKEN} passwordMinLength={12} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/login?reset=1"));
    expect(received).toEqual({ token: TOKEN, password: "a brand new passphrase" });
  });

  it("offers a new link when the token is spent, and clears the password", async () => {
    server.use(
      http.post("/api/auth/reset-password", () =>
        HttpResponse.json(
          { ok: false, message: "This reset link is invalid or has expired." },
          { status: 400 },
        ),
      ),
    );
    render(<AuthForm variant="reset-password" token={TOKEN} passwordMinLength={12} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This reset link is invalid or has expired.");
    expect(within(alert).getByRole("link", { name: "Request a new link" })).toHaveAttribute(
      "href",
      "/forgot-password",
    );
    expect(screen.getByLabelText("New password")).toHaveValue("");
    expect(mocks.leavePageFor).not.toHaveBeenCalled();
  });

  it("reports a malformed token as a form-level message, without a request", async () => {
    render(<AuthForm variant="reset-password" token={"x".repeat(3000)} passwordMinLength={12} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByRole("alert")).toHaveTextContent("This reset link is invalid.");
  });
});
