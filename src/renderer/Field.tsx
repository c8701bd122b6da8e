import type { InputHTMLAttributes, Ref } from 'react';

/** A labelled input: the label is tied to the input so every control is named for assistive tech. */
export function Field({
  id,
  label,
  hint,
  ref,
  ...input
}: {
  id: string;
  label: string;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
} & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input id={id} ref={ref} {...input} />
      {hint && <p className="hint">{hint}</p>}
    </>
  );
}

/** The form's error, announced to screen readers; with its list of what is wrong, if any. */
export function FormError({
  message,
  problems = [],
}: {
  message: string | null;
  problems?: string[];
}) {
  if (!message) return null;
  if (!problems.length)
    return (
      <p role="alert" className="error">
        {message}
      </p>
    );
  return (
    <div role="alert" className="error problems">
      <p>{message}</p>
      <ul>
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </div>
  );
}

/** A new password typed twice, with the policy shown (first sign-in and password reset). */
export function NewPasswordFields(p: {
  password: string;
  repeat: string;
  onPassword: (v: string) => void;
  onRepeat: (v: string) => void;
  labels: { password: string; repeat: string; policy: string };
  autoFocus?: boolean;
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
        autoFocus={p.autoFocus}
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
