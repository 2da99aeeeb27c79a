/**
 * A user-supplied operation table from a CSV of (a, b, result) triples, validated for a `table` task: whole
 * numbers in 0..p−1 (p given, or inferred as the largest value + 1), one result per pair. Every problem is
 * reported with its 1-based line number.
 */

/** The config schema's modulus range. */
export const MIN_MODULUS = 2;
export const MAX_MODULUS = 257;
export const MAX_CSV_CHARACTERS = 5_000_000;
/** Fewer distinct pairs leave nothing to split into training and test pairs. */
export const MIN_TABLE_ROWS = 4;
const MAX_ISSUES = 20;
const COLUMNS = ['a', 'b', 'result'] as const;

export interface CsvTable {
  /** p: every a, b and result is in 0..p−1. */
  modulus: number;
  /** True when p was inferred as the largest value + 1 rather than given. */
  modulusInferred: boolean;
  /** One entry per distinct pair, in file order. */
  a: Int32Array;
  b: Int32Array;
  results: Int32Array;
  /** The first content line was a header (e.g. "a,b,result"). */
  hadHeader: boolean;
  /** Rows that repeated an earlier row exactly (skipped). */
  repeatedRows: number;
  /** Share of the p×p pairs the table defines. */
  coverage: number;
}

export interface CsvIssue {
  /** 1-based line number; 0 for the file as a whole. */
  line: number;
  message: string;
}

export type CsvResult =
  { ok: true; table: CsvTable; warnings: CsvIssue[] } | { ok: false; errors: CsvIssue[] };

export function formatCsvIssue(issue: CsvIssue): string {
  return issue.line > 0 ? `line ${issue.line}: ${issue.message}` : issue.message;
}

function splitFields(line: string): string[] {
  return line
    .trim()
    .split(/\s*[,;\t]\s*|\s+/)
    .map((field) => field.replace(/^"(.*)"$/, '$1').trim());
}

const INTEGER = /^[+-]?\d+$/;

function failure(errors: CsvIssue[]): CsvResult {
  const shown = errors.slice(0, MAX_ISSUES);
  if (errors.length > MAX_ISSUES)
    shown.push({ line: 0, message: `… and ${errors.length - MAX_ISSUES} more problems` });
  return { ok: false, errors: shown };
}

/**
 * Parses CSV text of (a, b, result) rows. Separators: comma, semicolon, tab or spaces; blank lines and lines
 * starting with # are skipped; the first content line may be a header. Give `modulus` to check against a
 * known p; otherwise p = largest value + 1.
 */
export function parseCsvTask(text: string, options: { modulus?: number } = {}): CsvResult {
  const given = options.modulus;
  if (given !== undefined && (!Number.isInteger(given) || given < MIN_MODULUS || given > MAX_MODULUS)) {
    return failure([
      { line: 0, message: `p must be a whole number from ${MIN_MODULUS} to ${MAX_MODULUS}; got ${given}` },
    ]);
  }
  if (text.length > MAX_CSV_CHARACTERS) {
    return failure([
      { line: 0, message: `the file is too large (over ${MAX_CSV_CHARACTERS / 1_000_000} MB of text)` },
    ]);
  }
  const errors: CsvIssue[] = [];
  const warnings: CsvIssue[] = [];
  const rows: { line: number; values: [number, number, number] }[] = [];
  let hadHeader = false;
  let seenContent = false;
  const lines = text.split(/\r\n|\n|\r/);
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const content = lines[index].replace(/^\uFEFF/, '').trim();
    if (content === '' || content.startsWith('#')) continue;
    const fields = splitFields(content);
    const isFirst = !seenContent;
    seenContent = true;
    // A header is a first line with no numbers at all (a mistyped first row is reported, not skipped).
    if (isFirst && fields.every((field) => field === '' || !Number.isFinite(Number(field)))) {
      hadHeader = true;
      if (fields.length !== 3) {
        errors.push({ line, message: `the header has ${fields.length} columns; expected 3 (a, b, result)` });
      }
      continue;
    }
    if (fields.length !== 3) {
      errors.push({ line, message: `expected 3 values (a, b, result), found ${fields.length}` });
      continue;
    }
    // One message per line: its first problem.
    const values: number[] = [];
    let problem: string | null = null;
    for (let column = 0; column < 3 && problem === null; column++) {
      const name = COLUMNS[column];
      const field = fields[column];
      const value = Number(field);
      if (!INTEGER.test(field)) problem = `${name} = "${field.slice(0, 20)}" is not a whole number`;
      else if (value < 0) problem = `${name} = ${value} is negative; values must be in 0..p−1`;
      else if (given !== undefined && value >= given)
        problem = `${name} = ${value} is not below p = ${given}`;
      else if (value >= MAX_MODULUS)
        problem = `${name} = ${value} is too large: the lab supports p up to ${MAX_MODULUS}`;
      values.push(value);
    }
    if (problem !== null) errors.push({ line, message: problem });
    else rows.push({ line, values: values as [number, number, number] });
  }
  if (rows.length === 0 && errors.length === 0) {
    return failure([{ line: 0, message: 'the file has no (a, b, result) rows' }]);
  }

  const byPair = new Map<number, { result: number; line: number }>();
  const kept: { line: number; values: [number, number, number] }[] = [];
  let repeatedRows = 0;
  for (const row of rows) {
    const [a, b, result] = row.values;
    const key = a * MAX_MODULUS + b;
    const earlier = byPair.get(key);
    if (!earlier) {
      byPair.set(key, { result, line: row.line });
      kept.push(row);
    } else if (earlier.result === result) {
      repeatedRows++;
    } else {
      errors.push({
        line: row.line,
        message: `(${a}, ${b}) → ${result} contradicts line ${earlier.line}, which gives (${a}, ${b}) → ${earlier.result}`,
      });
    }
  }
  if (errors.length > 0) return failure(errors.sort((x, y) => x.line - y.line));

  let modulus = given ?? 0;
  if (given === undefined) {
    for (const { values } of kept) modulus = Math.max(modulus, ...values);
    modulus += 1;
    if (modulus < MIN_MODULUS) modulus = MIN_MODULUS;
  }
  if (kept.length < MIN_TABLE_ROWS) {
    return failure([
      {
        line: 0,
        message: `the table has ${kept.length} distinct pairs; at least ${MIN_TABLE_ROWS} are needed to split into training and test pairs`,
      },
    ]);
  }
  if (repeatedRows > 0) warnings.push({ line: 0, message: `${repeatedRows} repeated rows were skipped` });
  return {
    ok: true,
    table: {
      modulus,
      modulusInferred: given === undefined,
      a: Int32Array.from(kept, (row) => row.values[0]),
      b: Int32Array.from(kept, (row) => row.values[1]),
      results: Int32Array.from(kept, (row) => row.values[2]),
      hadHeader,
      repeatedRows,
      coverage: kept.length / (modulus * modulus),
    },
    warnings,
  };
}

/** The table as flat [a₀, b₀, r₀, a₁, b₁, r₁, …] (the form proposed for the engine's `table` task config). */
export function flatRows(table: CsvTable): number[] {
  const rows: number[] = [];
  for (let i = 0; i < table.a.length; i++) rows.push(table.a[i], table.b[i], table.results[i]);
  return rows;
}
