"use client";

import Link from "next/link";
import { passwordHint } from "@/components/auth-form-variants";
import type { FieldSpec } from "@/components/auth-form-variants";
import { AuthField } from "@/components/auth-field";
import { AuthSuccessPanel } from "@/components/auth-success-panel";
import { primaryButtonClassName, textLinkClassName } from "@/components/field-styles";
import { Notice } from "@/components/notice";
import { Spinner } from "@/components/spinner";
import { useAuthForm } from "@/components/use-auth-form";
import type { AuthFormProps } from "@/components/use-auth-form";

export type { AuthFormProps } from "@/components/use-auth-form";

/**
 * The one form behind every auth page. What differs between pages (fields, labels, help
 * links) lives in AUTH_VARIANTS (auth-form-variants.ts); what the form does lives in
 * useAuthForm (use-auth-form.ts); this renders it, accessibly.
 */
export function AuthForm(props: AuthFormProps) {
  const form = useAuthForm(props);
  const { spec, values, fieldErrors, message, pending, success } = form;

  if (success) {
    return (
      <AuthSuccessPanel
        success={success}
        headingRef={form.successHeading}
        onStartOver={form.startOver}
      />
    );
  }

  const [firstField, secondField, ...restFields] = spec.fields;
  const renderField = (field: FieldSpec) => (
    <AuthField
      key={field.name}
      field={field}
      id={form.idFor(field.name)}
      value={values[field.name] ?? ""}
      error={fieldErrors[field.name]}
      hint={
        field.autoComplete === "new-password" ? passwordHint(form.passwordMinLength) : undefined
      }
      onChange={form.handleChange(field.name)}
      onBlur={form.handleBlur(field)}
    />
  );

  return (
    // A real POST to the page's Server Action before JavaScript runs or without it (never GET: the
    // password would land in the address); `noValidate` so both ways show our messages, not the browser's.
    <form
      action={form.formAction}
      noValidate
      onSubmit={form.handleSubmit}
      onFocus={form.prepare}
      aria-busy={pending}
      aria-label={spec.submitLabel}
    >
      {props.variant === "login" && props.callbackUrl ? (
        // The server judges it again (same-origin paths only) before going there.
        <input type="hidden" name="callbackUrl" value={props.callbackUrl} />
      ) : null}
      <div className="flex flex-col gap-1.5">
        {spec.pairFirstTwo && firstField && secondField ? (
          <>
            <div className="grid grid-cols-1 gap-x-3 gap-y-1.5 sm:grid-cols-2">
              {renderField(firstField)}
              {renderField(secondField)}
            </div>
            {restFields.map(renderField)}
          </>
        ) : (
          spec.fields.map(renderField)
        )}
      </div>

      <button
        type="submit"
        disabled={pending}
        aria-busy={pending}
        className={`${primaryButtonClassName} mt-2`}
      >
        {pending ? (
          <>
            <Spinner />
            {spec.pendingLabel}
          </>
        ) : (
          spec.submitLabel
        )}
      </button>

      {/* Always in the DOM so assistive technology is already watching it when a message arrives. */}
      <div aria-live="polite" aria-atomic="true">
        {message ? (
          <div className="mt-4">
            <Notice tone="error" role="alert">
              <p>{message.text}</p>
              {message.help ? (
                <p className="mt-1">
                  <Link href={message.help.href} className={textLinkClassName}>
                    {message.help.label}
                  </Link>
                </p>
              ) : null}
            </Notice>
          </div>
        ) : null}
      </div>
    </form>
  );
}
