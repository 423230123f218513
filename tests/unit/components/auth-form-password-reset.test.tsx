// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { AuthForm } from "@/components/auth-form";
import type * as LeavePage from "@/components/leave-page";
import { mockAction, postedFields, refusedState } from "./helpers";

const mocks = vi.hoisted(() => ({ leavePageFor: vi.fn<(path: string) => void>() }));

vi.mock("@/components/leave-page", async (importOriginal) => ({
  ...(await importOriginal<typeof LeavePage>()),
  leavePageFor: mocks.leavePageFor,
}));

const action = mockAction();
// The form fetches its schema check on first use (auth-form-check.ts); loaded here once, the checks
// below answer as fast as they do for someone already typing.
beforeAll(() => import("@/components/auth-form-check"));
afterEach(cleanup);
beforeEach(() => {
  action.mockReset();
  mocks.leavePageFor.mockReset();
});

describe("AuthForm variant forgot-password", () => {
  it("asks only for the email", () => {
    render(<AuthForm variant="forgot-password" action={action} />);
    expect(screen.getByLabelText("Email")).toHaveAttribute("autocomplete", "email");
    expect(screen.queryByLabelText(/password/i)).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Send reset link" })).toBeEnabled();
  });

  it("sends nothing for an invalid email", async () => {
    render(<AuthForm variant="forgot-password" action={action} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "ada.example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription(/valid email address/);
    expect(action).not.toHaveBeenCalled();
  });

  it("answers with the same neutral panel and lets the visitor start over", async () => {
    action.mockResolvedValue({
      status: 202,
      result: { ok: true },
      values: {},
      panel: { kind: "reset-link-sent", email: "ada@example.com" },
    });
    render(<AuthForm variant="forgot-password" action={action} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("Email"), "Ada@Example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toHaveFocus();
    expect(screen.getByText(/if an account exists for/i)).toHaveTextContent(
      "If an account exists for ada@example.com, we've sent a link to reset its password.",
    );
    expect(postedFields(action)).toEqual({ email: "Ada@Example.com" });

    // A link to an empty form, so it works without JavaScript; enhanced, it stays on the page.
    const startOver = screen.getByRole("link", { name: "Use a different email" });
    expect(startOver).toHaveAttribute("href", "/forgot-password");
    await user.click(startOver);
    expect(screen.getByLabelText("Email")).toHaveValue("");
    expect(screen.getByLabelText("Email")).toHaveFocus();
  });
});

describe("AuthForm variant reset-password", () => {
  it("asks for a new password with the new-password autofill and a hint", () => {
    render(<AuthForm variant="reset-password" action={action} passwordMinLength={12} />);
    const password = screen.getByLabelText("New password");
    expect(password).toHaveAttribute("type", "password");
    expect(password).toHaveAttribute("autocomplete", "new-password");
    expect(password).toHaveAccessibleDescription(/At least 12 characters\./);
  });

  it("posts only the password (the token stays in its cookie) and goes to sign-in on success", async () => {
    action.mockResolvedValue({
      status: 200,
      result: { ok: true },
      values: {},
      goTo: "/login?reset=1",
    });
    const { container } = render(
      <AuthForm variant="reset-password" action={action} passwordMinLength={12} />,
    );
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("New password"), "a brand new passphrase");
    await user.click(screen.getByRole("button", { name: "Set new password" }));

    await waitFor(() => expect(mocks.leavePageFor).toHaveBeenCalledWith("/login?reset=1"));
    expect(postedFields(action)).toEqual({ password: "a brand new passphrase" });
    expect(container.innerHTML).not.toMatch(/token/i);
  });

  it("refuses a password under the minimum before posting", async () => {
    render(<AuthForm variant="reset-password" action={action} passwordMinLength={12} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText("New password"), "too short");
    await user.click(screen.getByRole("button", { name: "Set new password" }));
    expect(screen.getByLabelText("New password")).toHaveAccessibleDescription(
      /Use at least 12 characters\./,
    );
    expect(action).not.toHaveBeenCalled();
  });

  it("offers a new link when the token is spent, and clears the password", async () => {
    action.mockResolvedValue(refusedState(400, "This reset link is invalid or has expired."));
    render(<AuthForm variant="reset-password" action={action} passwordMinLength={12} />);
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
});
