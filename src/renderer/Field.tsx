import type { InputHTMLAttributes } from 'react';

/** A labelled input: the label is tied to the input so every control is named for assistive tech. */
export function Field({
  id,
  label,
  hint,
  ...input
}: { id: string; label: string; hint?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
      {hint && <p className="hint">{hint}</p>}
    </>
  );
}

/** The form's error, announced to screen readers. */
export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p role="alert" className="error">
      {message}
    </p>
  ) : null;
}
