"use client";

import { useEffect, useRef, useState } from "react";
import type { ChangeEvent, ReactNode } from "react";
import { fieldIconButtonClassName, inputClassName } from "@/components/field-styles";

export interface PasswordInputProps {
  id: string;
  name: string;
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onBlur?: () => void;
  autoComplete: "current-password" | "new-password";
  invalid: boolean;
  describedBy?: string | undefined;
  required?: boolean;
}

export function PasswordInput({
  id,
  name,
  value,
  onChange,
  onBlur,
  autoComplete,
  invalid,
  describedBy,
  required,
}: PasswordInputProps) {
  const [visible, setVisible] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  // Hide the password again when the form is sent: some password managers only offer to save a
  // field that is type="password" at submit time, and a shown password should not outlive the attempt.
  useEffect(() => {
    const form = inputRef.current?.form;
    if (!form) return;
    const hide = () => setVisible(false);
    form.addEventListener("submit", hide);
    return () => form.removeEventListener("submit", hide);
  }, []);

  return (
    <div className="relative">
      <input
        ref={inputRef}
        id={id}
        name={name}
        type={visible ? "text" : "password"}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        autoComplete={autoComplete}
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        required={required}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={inputClassName(invalid, "pr-12")}
      />
      <button
        type="button"
        onClick={() => setVisible((v) => !v)}
        aria-label={visible ? "Hide password" : "Show password"}
        aria-pressed={visible}
        aria-controls={id}
        className={fieldIconButtonClassName}
      >
        {visible ? <EyeOffIcon /> : <EyeIcon />}
      </button>
    </div>
  );
}

/** A 20 px outline icon drawn with the text colour. */
function OutlineIcon({ children }: { children: ReactNode }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 20 20"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.5"
      className="size-5"
    >
      {children}
    </svg>
  );
}

function EyeIcon() {
  return (
    <OutlineIcon>
      <path
        d="M1.75 10s3-5.75 8.25-5.75S18.25 10 18.25 10 15.25 15.75 10 15.75 1.75 10 1.75 10Z"
        strokeLinejoin="round"
      />
      <circle cx="10" cy="10" r="2.75" />
    </OutlineIcon>
  );
}

function EyeOffIcon() {
  return (
    <OutlineIcon>
      <path
        d="M8.1 4.45A8.6 8.6 0 0 1 10 4.25c5.25 0 8.25 5.75 8.25 5.75a14.7 14.7 0 0 1-2.2 2.95M5.6 5.6C3.15 7.2 1.75 10 1.75 10s3 5.75 8.25 5.75a8.3 8.3 0 0 0 4.4-1.35"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
      <path d="M8.05 8.05a2.75 2.75 0 0 0 3.9 3.9" strokeLinecap="round" />
      <path d="m2.75 2.75 14.5 14.5" strokeLinecap="round" />
    </OutlineIcon>
  );
}
