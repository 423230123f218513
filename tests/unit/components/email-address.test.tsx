// @vitest-environment jsdom
import { cleanup, render } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { EmailAddress } from "@/components/email-address";

afterEach(cleanup);

function rendered(address: string) {
  const { container } = render(<EmailAddress address={address} className="font-medium" />);
  return container.querySelector("[data-email-address]") as HTMLElement;
}

describe("EmailAddress", () => {
  it("shows the address unchanged, with break points only before the @ and after dots", () => {
    const span = rendered("ada.lovelace@analytical-engine.example");
    expect(span.textContent).toBe("ada.lovelace@analytical-engine.example");
    const words = [...span.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent);
    expect(words).toEqual(["ada.", "lovelace", "@analytical-engine.", "example"]);
    expect(span.querySelectorAll("wbr")).toHaveLength(3);
  });

  it("never allows a break anywhere (no break-all), only inside a part too long for the line", () => {
    const span = rendered("ada@example.com");
    expect(span.className).not.toMatch(/break-all/);
    expect(span.className).toContain("break-words");
    expect(span.className).toContain("font-medium");
  });

  it("keeps an address without dots or @ whole", () => {
    expect(rendered("localpart").querySelectorAll("wbr")).toHaveLength(0);
  });
});
