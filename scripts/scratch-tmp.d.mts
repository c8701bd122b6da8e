export const SCRATCH_ENV: string;
export function useScratchTmp(label?: string): (() => { dir: string; bytes: number }) | undefined;
