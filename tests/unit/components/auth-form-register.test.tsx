// @vitest-environment jsdom
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthForm } from "@/components/auth-form";
import { NETWORK_ERROR_MESSAGE } from "@/components/leave-page";
import type { FormState } from "@/lib/validations/form-state";
import { deferred, mockAction, postedFields, refusedState } from "./helpers";

const action = mockAction();
// The form fetches its schema check on first use (auth-form-check.ts); loaded here once, the checks
// below answer as fast as they do for someone already typing.
beforeAll(() => import("@/components/auth-form-check"));
afterEach(cleanup);
beforeEach(() => {
  action.mockReset();
});

const MIN = 12;
const customer = {
  first: "Ada",
  last: "Lovelace",
  email: "ada@example.com",
  password: "correct horse battery",
};

const registered: FormState = {
  status: 201,
  result: { ok: true, message: "Check your inbox." },
  values: {},
  panel: { kind: "check-inbox", email: "ada@example.com" },
};

async function fill(values: Partial<typeof customer> = customer) {
  const user = userEvent.setup();
  if (values.first) await user.type(screen.getByLabelText("First name"), values.first);
  if (values.last) await user.type(screen.getByLabelText("Last name"), values.last);
  if (values.email) await user.type(screen.getByLabelText("Email"), values.email);
  if (values.password) await user.type(screen.getByLabelText("Password"), values.password);
  return user;
}

function submit(user: ReturnType<typeof userEvent.setup>) {
  return user.click(screen.getByRole("button", { name: "Create account" }));
}

describe("AuthForm variant register", () => {
  it("labels every field with the autofill tokens password managers expect", () => {
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    expect(screen.getByLabelText("First name")).toHaveAttribute("autocomplete", "given-name");
    expect(screen.getByLabelText("Last name")).toHaveAttribute("autocomplete", "family-name");
    expect(screen.getByLabelText("Email")).toHaveAttribute("autocomplete", "email");
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("autocomplete", "new-password");
    expect(password).toHaveAccessibleDescription(
      `At least ${MIN} characters. Spaces and any characters are fine; a few random words work well.`,
    );
  });

  it("builds the password rule from the configured minimum and sends nothing while it is broken", async () => {
    render(<AuthForm variant="register" action={action} passwordMinLength={16} />);
    const user = await fill({ ...customer, password: "fifteen chars!!" });
    await submit(user);

    const password = screen.getByLabelText("Password");
    expect(password).toHaveAttribute("aria-invalid", "true");
    // The hint stays and the error is added to the description.
    expect(password).toHaveAccessibleDescription(
      /At least 16 characters\..*Use at least 16 characters\./,
    );
    expect(password).toHaveFocus();
    // A client-side rejection does not throw away what was typed.
    expect(password).toHaveValue("fifteen chars!!");
    expect(action).not.toHaveBeenCalled();
  });

  it("refuses a name carrying a link or a phone number in the browser, before any request", async () => {
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    const user = await fill({ ...customer, first: "Call 555 0100", last: "evil.example/unlock" });
    await submit(user);
    expect(screen.getByLabelText("First name")).toHaveAccessibleDescription(
      "Your first name can't contain a phone number or a number of 5 digits or more.",
    );
    expect(screen.getByLabelText("Last name")).toHaveAccessibleDescription(
      "Your last name can't contain a web address. If it has a dot, put a space after it.",
    );
    expect(screen.getByLabelText("First name")).toHaveFocus();
    expect(action).not.toHaveBeenCalled();
  });

  it("flags every invalid field at once and focuses the first", async () => {
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    const user = userEvent.setup();
    await submit(user);
    expect(screen.getByLabelText("First name")).toHaveAccessibleDescription(
      "Enter your first name.",
    );
    expect(screen.getByLabelText("Last name")).toHaveAccessibleDescription("Enter your last name.");
    expect(screen.getByLabelText("Email")).toHaveAccessibleDescription("Enter your email address.");
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("First name")).toHaveFocus();
  });

  it("posts the fields to its action and replaces the form with a check-your-inbox panel", async () => {
    action.mockResolvedValue(registered);
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    const user = await fill({ ...customer, first: "  Ada ", email: " ADA@example.com" });
    await submit(user);

    const heading = await screen.findByRole("heading", { name: "Check your inbox" });
    expect(heading).toHaveFocus();
    // The address as the server read it.
    expect(screen.getByText("ada@example.com")).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Password")).not.toBeInTheDocument();
    // "Send the link again": a plain form post of this email, so it works without JavaScript too.
    const resend = screen.getByRole("button", { name: /send the link again/i });
    const form = resend.closest("form");
    expect(form).toHaveAttribute("method", "post");
    expect(form).toHaveAttribute("action", "/api/auth/resend-confirmation");
    expect(form?.querySelector('input[type="hidden"][name="email"]')).toHaveValue(
      "ada@example.com",
    );
    expect(postedFields(action)).toEqual({
      first_name: "  Ada ",
      last_name: "Lovelace",
      email: "ADA@example.com",
      password: customer.password,
    });
  });

  it("shows a pending state until the server answers", async () => {
    const answer = deferred<FormState>();
    action.mockReturnValue(answer.promise);
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    const user = await fill();
    await submit(user);

    const button = await screen.findByRole("button", { name: "Creating account…" });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");
    expect(screen.getByRole("form", { name: "Create account" })).toHaveAttribute(
      "aria-busy",
      "true",
    );

    answer.resolve(registered);
    expect(await screen.findByRole("heading", { name: "Check your inbox" })).toBeInTheDocument();
  });

  it("shows the server's field errors and message, keeps the names and clears the password", async () => {
    action.mockResolvedValue(
      refusedState(422, "Check the highlighted fields.", {
        email: ["That email address can't be used."],
        password: ["Choose a less common password."],
      }),
    );
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    const user = await fill();
    await submit(user);

    expect(await screen.findByRole("alert")).toHaveTextContent("Check the highlighted fields.");
    const email = screen.getByLabelText("Email");
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("That email address can't be used.");
    expect(email).toHaveFocus();
    const password = screen.getByLabelText("Password");
    expect(password).toHaveAccessibleDescription(/Choose a less common password\./);
    expect(password).toHaveValue("");
    expect(screen.getByLabelText("First name")).toHaveValue("Ada");
    expect(screen.getByLabelText("Last name")).toHaveValue("Lovelace");
    expect(email).toHaveValue("ada@example.com");

    // Editing a field clears the server's complaint about it.
    await user.type(email, "m");
    expect(email).toHaveAttribute("aria-invalid", "false");
  });

  it("shows the rate-limit message the server sends", async () => {
    action.mockResolvedValue(refusedState(429, "Too many attempts. Try again in 10 minutes."));
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    await submit(await fill());
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Too many attempts. Try again in 10 minutes.",
    );
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("says the server could not be reached when the post fails", async () => {
    action.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<AuthForm variant="register" action={action} passwordMinLength={MIN} />);
    await submit(await fill());
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent(NETWORK_ERROR_MESSAGE);
    expect(within(alert).queryByRole("link")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveValue("");
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Create account" })).toBeEnabled(),
    );
  });
});
