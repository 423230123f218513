import type { ReactNode } from "react";

export type NoticeTone = "success" | "error" | "info";

const toneClasses: Record<NoticeTone, string> = {
  success: "border-success-border bg-success-soft text-success-text",
  error: "border-danger-border bg-danger-soft text-danger-text",
  info: "border-border bg-surface-muted text-fg",
};

const iconClasses: Record<NoticeTone, string> = {
  success: "text-success",
  error: "text-danger",
  info: "text-fg-subtle",
};

/**
 * A short message box. `role` is left to the caller: "alert" for an error that just happened,
 * "status" for a notice that is part of the page when it loads.
 */
export function Notice({
  tone,
  role,
  children,
}: {
  tone: NoticeTone;
  role?: "alert" | "status";
  children: ReactNode;
}) {
  return (
    <div
      role={role}
      className={`flex gap-2.5 rounded-lg border px-3 py-2.5 text-sm/5 ${toneClasses[tone]}`}
    >
      <NoticeIcon tone={tone} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}

/** A filled 16 px circle with a tick or an exclamation mark; `info` notices have none. */
const iconPaths: Partial<Record<NoticeTone, string>> = {
  success:
    "M8 15A7 7 0 1 0 8 1a7 7 0 0 0 0 14Zm3.36-8.73a.75.75 0 0 0-1.22-.87L7.2 9.52 5.78 8.1a.75.75 0 1 0-1.06 1.06l2.04 2.04a.75.75 0 0 0 1.14-.09l3.46-4.84Z",
  error:
    "M8 15A7 7 0 1 0 8 1a7 7 0 0 0 0 14ZM8 4a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 8 4Zm0 8a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z",
};

function NoticeIcon({ tone }: { tone: NoticeTone }) {
  const path = iconPaths[tone];
  if (!path) return null;
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 16 16"
      fill="currentColor"
      className={`mt-px size-4 shrink-0 ${iconClasses[tone]}`}
    >
      <path fillRule="evenodd" d={path} clipRule="evenodd" />
    </svg>
  );
}
