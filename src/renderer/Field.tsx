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

/** A new password typed twice, with the policy shown (first sign-in and password reset). */
export function NewPasswordFields(p: {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  labels: { password: string; repeat: string; policy: string };
}) {
  return (
    <>
      <Field
        id="new-password"
        label={p.labels.password}
        hint={p.labels.policy}
        type="password"
        autoComplete="new-password"
        value={p.password}
        onChange={(e) => p.onPassword(e.target.value)}
        required
      />
      <Field
        id="repeat-password"
        label={p.labels.repeat}
        type="password"
        autoComplete="new-password"
        value={p.repeat}
        onChange={(e) => p.onRepeat(e.target.value)}
        required
      />
    </>
  );
}
