import { Fragment } from "react";

/**
 * An email address that wraps only where a reader expects it to: before the "@" and after a dot,
 * never inside a word (`break-all` used to cut "lovelace" in two on a phone). Only a single part
 * longer than the whole line still wraps inside itself, rather than overflow the card.
 */
export function EmailAddress({ address, className = "" }: { address: string; className?: string }) {
  const parts = address.split(/(?=@)|(?<=\.)/);
  return (
    <span data-email-address className={`${className} break-words`}>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  );
}
