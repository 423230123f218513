// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SignOutButton } from "@/components/sign-out-button";
import { deferred } from "./helpers";

afterEach(cleanup);

describe("SignOutButton", () => {
  it("is a POST form that calls its action once and shows it is busy", async () => {
    const pending = deferred<void>();
    const action = vi.fn(() => pending.promise);
    render(<SignOutButton action={action} />);
    const button = screen.getByRole("button", { name: "Sign out" });
    expect(button.closest("form")?.getAttribute("method") ?? "post").not.toMatch(/get/i);
    const user = userEvent.setup();
    await user.click(button);

    expect(action).toHaveBeenCalledTimes(1);
    expect(screen.getByRole("button", { name: "Signing out…" })).toBeDisabled();
    pending.resolve();
  });

  it("lets the visitor try again when signing out fails", async () => {
    const action = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    render(<SignOutButton action={action} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByText(/couldn't sign you out/i)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeEnabled();
  });
});
