import { describe, expect, it } from 'vitest';
import { fileType, filterRows, rowsOf, sortRows } from '../../src/renderer/listing';

const rows = rowsOf(
  [
    { prefix: 'b/', name: 'b' },
    { prefix: 'A/', name: 'A' },
  ],
  [
    { key: 'file10.txt', name: 'file10.txt', size: 5, lastModified: 3 },
    { key: 'file2.txt', name: 'file2.txt', size: 50, lastModified: 1 },
    { key: 'Report.PDF', name: 'Report.PDF', size: 500, lastModified: 2 },
    { key: 'ｶﾀｶﾅ.csv', name: 'ｶﾀｶﾅ.csv', size: 1, lastModified: 4 },
  ],
);
const names = (r: ReturnType<typeof rowsOf>) => r.map((x) => x.name);

describe('file list rows', () => {
  it('sorts names as people read them, folders first', () => {
    expect(names(sortRows(rows, { column: 'name', direction: 'asc' }, 'en'))).toEqual([
      'A',
      'b',
      'file2.txt',
      'file10.txt',
      'Report.PDF',
      'ｶﾀｶﾅ.csv',
    ]);
  });

  it('sorts by size, date and type, both ways, keeping folders first', () => {
    expect(names(sortRows(rows, { column: 'size', direction: 'desc' }, 'en')).slice(2)).toEqual([
      'Report.PDF',
      'file2.txt',
      'file10.txt',
      'ｶﾀｶﾅ.csv',
    ]);
    expect(names(sortRows(rows, { column: 'modified', direction: 'asc' }, 'en')).slice(2)).toEqual([
      'file2.txt',
      'Report.PDF',
      'file10.txt',
      'ｶﾀｶﾅ.csv',
    ]);
    expect(names(sortRows(rows, { column: 'type', direction: 'asc' }, 'en')).slice(2)).toEqual([
      'ｶﾀｶﾅ.csv',
      'Report.PDF',
      'file2.txt',
      'file10.txt',
    ]);
    expect(names(sortRows(rows, { column: 'name', direction: 'desc' }, 'en')).slice(0, 2)).toEqual([
      'b',
      'A',
    ]);
  });

  it('filters ignoring case and character width', () => {
    expect(names(filterRows(rows, 'REPORT'))).toEqual(['Report.PDF']);
    expect(names(filterRows(rows, 'カタカナ'))).toEqual(['ｶﾀｶﾅ.csv']);
    expect(names(filterRows(rows, '  '))).toHaveLength(6);
  });

  it('knows the type from the extension', () => {
    expect(fileType('archive.tar.gz')).toBe('gz');
    expect(fileType('.bashrc')).toBe('');
    expect(fileType('README')).toBe('');
    expect(fileType('Report.PDF')).toBe('pdf');
  });
});
