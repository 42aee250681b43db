export const defaultCols = 120;
export const defaultRows = 32;
export const colsRange = { min: 2, max: 1000 } as const;
export const rowsRange = { min: 1, max: 500 } as const;

function clamp(value: number | undefined, range: { min: number; max: number }, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(range.max, Math.max(range.min, Math.floor(value)));
}

/** A terminal size every layer can live with: whole numbers, 2–1000 columns, 1–500 rows. */
export function clampSize(
  cols: number | undefined,
  rows: number | undefined,
  fallback: { cols: number; rows: number } = { cols: defaultCols, rows: defaultRows },
): { cols: number; rows: number } {
  return { cols: clamp(cols, colsRange, fallback.cols), rows: clamp(rows, rowsRange, fallback.rows) };
}
