import { useId, useMemo, useSyncExternalStore, type ChangeEvent } from 'react';
import { formatCsvIssue, parseCsvTask, type CsvIssue, type CsvTable } from '../../lib/csvTask';
import { checkExpression } from '../../lib/expressionCheck';

export interface CustomTaskInputProps {
  /** The modulus p the operation is computed with. */
  modulus: number;
  /** The operation: a built-in name ("a+b", "a/b", …) or an expression in a, b and p. Controlled. */
  value: string;
  /** Every edit, with whether it is usable (put it in the config only when `valid`). */
  onChange(value: string, valid: boolean): void;
  /** Called with a validated CSV table; without it the upload is hidden. */
  onTable?(table: CsvTable, fileName: string): void;
  disabled?: boolean;
}

type Upload =
  | { state: 'idle' }
  | { state: 'reading'; fileName: string }
  | { state: 'loaded'; fileName: string; table: CsvTable; warnings: CsvIssue[] }
  | { state: 'failed'; fileName: string; errors: CsvIssue[] };

const ERROR_COLOR = '#b00020';

/*
 * The last upload's outcome lives outside the component: a loaded table switches the task to "table", which
 * replaces this input with the table summary, and its notice ("… repeated rows were skipped") must outlive the
 * input until the user dismisses it or uploads again. One upload control per page, so one slot.
 */
let lastUpload: Upload = { state: 'idle' };
const uploadListeners = new Set<() => void>();

function setLastUpload(upload: Upload): void {
  lastUpload = upload;
  for (const listener of uploadListeners) listener();
}

function subscribeUpload(listener: () => void): () => void {
  uploadListeners.add(listener);
  return () => uploadListeners.delete(listener);
}

function useLastUpload(): Upload {
  return useSyncExternalStore(subscribeUpload, () => lastUpload);
}

/**
 * The last CSV upload's result (loaded with its warnings, or why it was not), with a Dismiss button. Rendered by the
 * input itself; render it wherever the uploaded table is summarized too, so the notice stays readable there.
 */
export function UploadNotice() {
  const upload = useLastUpload();
  return <UploadStatus upload={upload} onDismiss={() => setLastUpload({ state: 'idle' })} />;
}

/** The typed text with the character at `position` marked (or a marker after the end), and a caret under it. */
function ErrorPointer({ text, position }: { text: string; position: number }) {
  const at = Math.min(Math.max(position, 0), text.length);
  const marked = text.slice(at, at + 1) || ' ';
  return (
    <pre
      aria-hidden="true"
      data-testid="expression-pointer"
      style={{ margin: '2px 0', fontSize: 13, lineHeight: 1.25, whiteSpace: 'pre', overflowX: 'auto' }}
    >
      {text.slice(0, at)}
      <mark
        style={{
          background: 'transparent',
          color: ERROR_COLOR,
          textDecoration: `underline wavy ${ERROR_COLOR}`,
          fontWeight: 'bold',
        }}
      >
        {marked}
      </mark>
      {text.slice(at + 1)}
      {'\n'}
      {' '.repeat(at)}^
    </pre>
  );
}

/**
 * A custom operation for the modular task, checked live by the engine's safe parser (never eval): an error
 * names and points at the offending character. Optionally, a CSV of (a, b, result) rows for a table task.
 */
export function CustomTaskInput({
  modulus,
  value,
  onChange,
  onTable,
  disabled = false,
}: CustomTaskInputProps) {
  const inputId = useId();
  const messageId = useId();
  const fileId = useId();
  const check = useMemo(() => checkExpression(value, modulus), [value, modulus]);

  const onText = (event: ChangeEvent<HTMLInputElement>) => {
    const next = event.target.value;
    onChange(next, checkExpression(next, modulus).ok);
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again re-reads it
    if (!file || !onTable) return;
    setLastUpload({ state: 'reading', fileName: file.name });
    let text: string;
    try {
      text = await file.text();
    } catch (error) {
      setLastUpload({
        state: 'failed',
        fileName: file.name,
        errors: [{ line: 0, message: `the file could not be read (${String(error)})` }],
      });
      return;
    }
    const result = parseCsvTask(text);
    if (!result.ok) {
      setLastUpload({ state: 'failed', fileName: file.name, errors: result.errors });
      return;
    }
    setLastUpload({ state: 'loaded', fileName: file.name, table: result.table, warnings: result.warnings });
    onTable(result.table, file.name);
  };

  return (
    <div className="custom-task">
      <label htmlFor={inputId} style={{ display: 'block', fontSize: 13 }}>
        Operation in a and b (mod {modulus})
      </label>
      <input
        id={inputId}
        type="text"
        value={value}
        onChange={onText}
        disabled={disabled}
        spellCheck={false}
        autoComplete="off"
        placeholder="(a*a + 3*b) % p"
        aria-invalid={!check.ok}
        aria-describedby={messageId}
        style={{
          fontFamily: 'monospace',
          width: '100%',
          boxSizing: 'border-box',
          borderColor: check.ok ? undefined : ERROR_COLOR,
        }}
      />
      {check.ok ? (
        <p id={messageId} style={{ margin: '2px 0', fontSize: 12 }}>
          {check.samples
            .map(({ a, b, result }) => `a=${a}, b=${b} → ${result === null ? 'undefined' : result}`)
            .join('; ')}
          {check.definedPairs !== null &&
            ` · ${check.definedPairs} of ${modulus * modulus} pairs defined, ${check.distinctResults} distinct answers`}
          {check.warning && (
            <span role="status" style={{ display: 'block', color: ERROR_COLOR }}>
              Note: {check.warning}
            </span>
          )}
        </p>
      ) : (
        <div>
          {check.position >= 0 && <ErrorPointer text={value} position={check.position} />}
          <p id={messageId} role="alert" style={{ margin: '2px 0', fontSize: 12, color: ERROR_COLOR }}>
            {check.message}
          </p>
        </div>
      )}
      {onTable && (
        <div style={{ marginTop: 8 }}>
          <label htmlFor={fileId} style={{ fontSize: 13 }}>
            …or upload a table (CSV of a, b, result)
          </label>{' '}
          <input
            id={fileId}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            onChange={onFile}
            disabled={disabled}
          />
          <UploadNotice />
        </div>
      )}
    </div>
  );
}

function UploadStatus({ upload, onDismiss }: { upload: Upload; onDismiss(): void }) {
  const dismiss = (
    <button type="button" className="button button--small" onClick={onDismiss}>
      Dismiss
    </button>
  );
  switch (upload.state) {
    case 'idle':
      return null;
    case 'reading':
      return <p role="status">Reading {upload.fileName}…</p>;
    case 'loaded': {
      const { table } = upload;
      return (
        <p role="status" style={{ fontSize: 12 }}>
          Loaded {upload.fileName}: {table.a.length} pairs, p = {table.modulus}
          {table.modulusInferred ? ' (the largest value + 1)' : ''}, {Math.round(table.coverage * 100)}% of
          the table.
          {upload.warnings.map((warning) => ` ${formatCsvIssue(warning)}.`).join('')} {dismiss}
        </p>
      );
    }
    case 'failed':
      return (
        <div role="alert" style={{ fontSize: 12, color: ERROR_COLOR }}>
          {upload.fileName} was not loaded:
          <ul style={{ margin: '2px 0' }}>
            {upload.errors.map((error, index) => (
              <li key={index}>{formatCsvIssue(error)}</li>
            ))}
          </ul>
          {dismiss}
        </div>
      );
  }
}
