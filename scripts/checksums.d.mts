export const RELEASE_FILE: RegExp;
export function checksums(dir: string): Promise<string[]>;
