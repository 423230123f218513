// @vitest-environment jsdom
import { cleanup, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { PasswordInput } from "@/components/password-input";

afterEach(cleanup);

function Harness() {
  const [value, setValue] = useState("");
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <label htmlFor="pw">Password</label>
      <PasswordInput
        id="pw"
        name="password"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoComplete="current-password"
        invalid={false}
      />
      <button type="submit">Go</button>
    </form>
  );
}

describe("PasswordInput", () => {
  it("shows and hides the password with a named toggle button", async () => {
    render(<Harness />);
    const user = userEvent.setup();
    const input = screen.getByLabelText("Password");
    await user.type(input, "s3cret words");
    expect(input).toHaveAttribute("type", "password");

    const show = screen.getByRole("button", { name: "Show password" });
    expect(show).toHaveAttribute("aria-pressed", "false");
    expect(show).toHaveAttribute("type", "button");
    await user.click(show);

    expect(input).toHaveAttribute("type", "text");
    expect(input).toHaveValue("s3cret words");
    const hide = screen.getByRole("button", { name: "Hide password" });
    expect(hide).toHaveAttribute("aria-pressed", "true");
    await user.click(hide);
    expect(input).toHaveAttribute("type", "password");
  });

  it("hides the password again when the form is submitted", async () => {
    render(<Harness />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Show password" }));
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "text");
    await user.click(screen.getByRole("button", { name: "Go" }));
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    expect(screen.getByRole("button", { name: "Show password" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
  });

  it("does not submit the form when toggled", async () => {
    let submitted = 0;
    render(
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submitted += 1;
        }}
      >
        <label htmlFor="pw">Password</label>
        <PasswordInput
          id="pw"
          name="p"
          value=""
          onChange={() => {}}
          autoComplete="new-password"
          invalid
        />
      </form>,
    );
    await userEvent.setup().click(screen.getByRole("button", { name: "Show password" }));
    expect(submitted).toBe(0);
    expect(screen.getByLabelText("Password")).toHaveAttribute("aria-invalid", "true");
  });
});
