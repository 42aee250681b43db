import { describe, expect, it } from 'vitest';
import { clampSize, colsRange, defaultCols, defaultRows, rowsRange } from './terminal-size';

describe('clampSize (the one size clamp: engine, planner, renderer, attach)', () => {
  it('keeps a sane size and floors fractions', () => {
    expect(clampSize(100, 30)).toEqual({ cols: 100, rows: 30 });
    expect(clampSize(80.9, 24.2)).toEqual({ cols: 80, rows: 24 });
  });

  it('clamps to the ranges every layer can live with', () => {
    expect(clampSize(0, 0)).toEqual({ cols: colsRange.min, rows: rowsRange.min });
    expect(clampSize(-5, -1)).toEqual({ cols: colsRange.min, rows: rowsRange.min });
    expect(clampSize(1e9, 1e9)).toEqual({ cols: colsRange.max, rows: rowsRange.max });
  });

  it('falls back per dimension for missing or non-finite values', () => {
    expect(clampSize(undefined, undefined)).toEqual({ cols: defaultCols, rows: defaultRows });
    expect(clampSize(Number.NaN, 40)).toEqual({ cols: defaultCols, rows: 40 });
    expect(clampSize(90, Number.POSITIVE_INFINITY, { cols: 70, rows: 20 })).toEqual({ cols: 90, rows: 20 });
  });
});
