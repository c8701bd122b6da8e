/** The pool's password policy ("Cognito defaults") and the messages Cognito gives. */
export interface PasswordPolicy {
  minimumLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireNumbers: boolean;
  requireSymbols: boolean;
  temporaryPasswordValidityDays: number;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: true,
  temporaryPasswordValidityDays: 7,
};

// Cognito's allowed symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
const SYMBOL = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/;

/** Returns the first rule the password breaks, worded as Cognito words it; null when fine. */
export function passwordProblem(password: string, policy: PasswordPolicy): string | null {
  if (password.length < policy.minimumLength) return 'Password not long enough';
  if (password.length > 256) return 'Password is too long';
  if (policy.requireLowercase && !/[a-z]/.test(password))
    return 'Password must have lowercase characters';
  if (policy.requireUppercase && !/[A-Z]/.test(password))
    return 'Password must have uppercase characters';
  if (policy.requireNumbers && !/[0-9]/.test(password))
    return 'Password must have numeric characters';
  if (policy.requireSymbols && !SYMBOL.test(password))
    return 'Password must have symbol characters';
  return null;
}
