/**
 * What the sign-in forms check before asking main (so a mistyped code is said in words at once,
 * never as main's schema text), and the organisation the screens name.
 */
import { useEffect, useState } from 'react';
import type { ErrorCode } from '../../shared/errors';
import { api } from '../api';

/** A code as Cognito sends them: 6 to 8 digits (spaces people type around it are ignored). */
export function codeProblem(code: string): ErrorCode | null {
  return /^\d{6,8}$/.test(code.trim()) ? null : 'CODE_FORMAT';
}

/** An email address, roughly: something@something, no spaces. */
export function emailProblem(email: string): ErrorCode | null {
  return /^[^@\s]+@[^@\s]+$/.test(email.trim()) ? null : 'EMAIL_FORMAT';
}

/** The active connection profile's name ("Acme design files"), through the form's error path. */
export function useOrganisation(
  run: <T>(action: () => Promise<T>) => Promise<T | undefined>,
): string | undefined {
  const [name, setName] = useState<string>();
  useEffect(() => {
    let live = true;
    void run(() => api.profileList()).then((list) => {
      if (live) setName(list?.find((p) => p.active)?.name);
    });
    return () => {
      live = false;
    };
  }, [run]);
  return name;
}
