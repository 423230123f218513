import type { ChangeEvent, ReactNode } from "react";
import type { FieldSpec } from "@/components/auth-form-variants";
import { inputClassName } from "@/components/field-styles";
import { PasswordInput } from "@/components/password-input";

/**
 * One labelled field of the auth form, with its hint and an error slot that is always there (so an
 * error appearing neither moves the form nor goes unannounced: the input points at it).
 */
export function AuthField({
  field,
  id,
  value,
  error,
  hint,
  onChange,
  onBlur,
}: {
  field: FieldSpec;
  id: string;
  value: string;
  error: string | undefined;
  hint: string | undefined;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  onBlur: () => void;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy =
    [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  const invalid = Boolean(error);

  let control: ReactNode;
  if (field.type === "password") {
    control = (
      <PasswordInput
        id={id}
        name={field.name}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        autoComplete={field.autoComplete === "new-password" ? "new-password" : "current-password"}
        invalid={invalid}
        describedBy={describedBy}
        required
      />
    );
  } else {
    const isEmail = field.type === "email";
    control = (
      <input
        id={id}
        name={field.name}
        type={field.type}
        value={value}
        onChange={onChange}
        onBlur={onBlur}
        autoComplete={field.autoComplete}
        inputMode={isEmail ? "email" : undefined}
        autoCapitalize={isEmail ? "none" : "words"}
        autoCorrect="off"
        spellCheck={false}
        required
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={inputClassName(invalid)}
      />
    );
  }

  return (
    <div>
      <label htmlFor={id} className="block text-sm/6 font-medium text-fg">
        {field.label}
      </label>
      <div className="mt-1">{control}</div>
      {hint ? (
        <p id={hintId} className="mt-1.5 text-xs/5 text-fg-subtle">
          {hint}
        </p>
      ) : null}
      {/* The slot keeps its height when empty, so an error appearing does not push the form around. */}
      <p id={errorId} className="mt-1 min-h-5 text-xs/5 font-medium text-danger">
        {error}
      </p>
    </div>
  );
}
