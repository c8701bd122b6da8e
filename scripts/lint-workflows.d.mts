export function pinningFindings(text: string): { line: number; message: string }[];
export function lintWorkflows(files: string[]): Promise<string[]>;
