// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SignOutButton } from "@/components/sign-out-button";
import { deferred } from "./helpers";

const mocks = vi.hoisted(() => ({
  signOut: vi.fn<(options: { callbackUrl: string }) => Promise<undefined>>(),
}));
vi.mock("next-auth/react", () => ({ signOut: mocks.signOut }));

afterEach(cleanup);
beforeEach(() => {
  mocks.signOut.mockReset();
});

describe("SignOutButton", () => {
  it("signs out through next-auth and lands on the sign-in page with a notice", async () => {
    const pending = deferred<undefined>();
    mocks.signOut.mockReturnValue(pending.promise);
    render(<SignOutButton />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign out" }));

    expect(mocks.signOut).toHaveBeenCalledWith({ callbackUrl: "/login?signedOut=1" });
    expect(screen.getByRole("button", { name: "Signing out…" })).toBeDisabled();
    pending.resolve(undefined);
  });

  it("lets the visitor try again when signing out fails", async () => {
    mocks.signOut.mockRejectedValue(new TypeError("Failed to fetch"));
    render(<SignOutButton />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Sign out" }));
    expect(await screen.findByText(/couldn't sign you out/i)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sign out" })).toBeEnabled();
  });
});
