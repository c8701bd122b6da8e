import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJsonAtomic } from '../../../src/main/services/jsonFile';

const dir = () => mkdtempSync(join(tmpdir(), 'kura-json-'));

describe('writeJsonAtomic', () => {
  it('writes the value, creating the folder, and leaves no temporary file', () => {
    const d = dir();
    const file = join(d, 'deep', 'er', 'settings.json');
    writeJsonAtomic(file, { checks: false, n: [1, 2] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ checks: false, n: [1, 2] });
    expect(readFileSync(file, 'utf8')).toBe('{"checks":false,"n":[1,2]}');
    expect(readdirSync(join(d, 'deep', 'er'))).toEqual(['settings.json']);
  });

  it('replaces what was there', () => {
    const file = join(dir(), 'a.json');
    writeJsonAtomic(file, { v: 1 });
    writeJsonAtomic(file, { v: 2 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ v: 2 });
  });

  it('indents when pretty', () => {
    const file = join(dir(), 'profiles.json');
    writeJsonAtomic(file, { a: 1 }, { pretty: true });
    expect(readFileSync(file, 'utf8')).toBe('{\n  "a": 1\n}');
  });

  it.skipIf(process.platform === 'win32')('is owner-only when private', () => {
    const d = join(dir(), 'private');
    const file = join(d, 'queue.json');
    writeJsonAtomic(file, [], { private: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(d).mode & 0o777).toBe(0o700);
  });

  it('keeps the old file whole and removes its temporary file when the rename fails', () => {
    const d = dir();
    const file = join(d, 'target.json');
    // A folder in the file's place: writing the temporary file works, renaming over it fails.
    mkdirSync(file);
    writeFileSync(join(file, 'inside'), 'old');
    expect(() => writeJsonAtomic(file, { v: 1 })).toThrow();
    expect(readdirSync(d)).toEqual(['target.json']);
    expect(readFileSync(join(file, 'inside'), 'utf8')).toBe('old');
  });

  it('cannot be given a value JSON cannot hold without saying so', () => {
    const file = join(dir(), 'x.json');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => writeJsonAtomic(file, cyclic)).toThrow(TypeError);
    expect(() => readFileSync(file)).toThrow();
  });
});
