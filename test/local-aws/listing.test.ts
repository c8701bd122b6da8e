import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { compareUtf8, listSorted } from '../../local-aws/s3/listing';
import { parseRange } from '../../local-aws/s3/range';

describe('UTF-8 byte order', () => {
  it('agrees with Buffer.compare on random strings with BMP, private-use and astral characters', () => {
    const pool = [
      'a',
      'z',
      '/',
      ' ',
      '+',
      'é',
      '日',
      '\uE000',
      '\uFFFD',
      '\uFF5E',
      '🎉',
      '𝄞',
      '\u0000',
    ];
    const random = () =>
      Array.from({ length: randomInt(0, 6) }, () => pool[randomInt(pool.length)]).join('');
    for (let i = 0; i < 5000; i++) {
      const a = random();
      const b = random();
      expect(Math.sign(compareUtf8(a, b)), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(
        Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))),
      );
    }
  });
});

describe('listing', () => {
  const keys = ['a/1', 'a/2', 'b', 'c/x/1', 'c/y', 'd'].sort(compareUtf8);

  it('groups by delimiter and resumes after a common prefix without repeating it', () => {
    const p1 = listSorted(keys, { prefix: '', delimiter: '/', maxKeys: 2 });
    expect(p1).toMatchObject({ keys: ['b'], commonPrefixes: ['a/'], truncated: true });
    const p2 = listSorted(keys, { prefix: '', delimiter: '/', maxKeys: 2, after: p1.last });
    expect(p2).toMatchObject({ keys: ['d'], commonPrefixes: ['c/'], truncated: false });
  });

  it('lists under a prefix with a nested delimiter', () => {
    expect(listSorted(keys, { prefix: 'c/', delimiter: '/', maxKeys: 10 })).toMatchObject({
      keys: ['c/y'],
      commonPrefixes: ['c/x/'],
    });
  });
});

describe('Range header', () => {
  it.each([
    ['bytes=0-0', 10, { kind: 'partial', start: 0, end: 0 }],
    ['bytes=-4', 10, { kind: 'partial', start: 6, end: 9 }],
    ['bytes=-40', 10, { kind: 'partial', start: 0, end: 9 }],
    ['bytes=5-', 10, { kind: 'partial', start: 5, end: 9 }],
    ['bytes=10-', 10, { kind: 'unsatisfiable' }],
    ['bytes=-0', 10, { kind: 'unsatisfiable' }],
    ['bytes=0-0', 0, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 10, { kind: 'whole' }],
    ['bytes=0-1,3-4', 10, { kind: 'whole' }],
    ['items=0-1', 10, { kind: 'whole' }],
  ])('%s of %i bytes', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});
