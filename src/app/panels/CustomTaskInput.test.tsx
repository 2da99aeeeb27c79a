// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CsvTable } from '../../lib/csvTask';
import { CustomTaskInput, UploadNotice } from './CustomTaskInput';

afterEach(cleanup);

/** A parent that keeps the text, as the store will. */
function Harness({
  initial,
  onChange,
  onTable,
}: {
  initial: string;
  onChange?(value: string, valid: boolean): void;
  onTable?(table: CsvTable, name: string): void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <CustomTaskInput
      modulus={31}
      value={value}
      onChange={(next, valid) => {
        setValue(next);
        onChange?.(next, valid);
      }}
      onTable={onTable}
    />
  );
}

function upload(input: HTMLElement, name: string, text: string): void {
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'text/csv' })] } });
}

describe('CustomTaskInput', () => {
  it('parses live and reports validity to the parent', () => {
    const onChange = vi.fn();
    render(<Harness initial="a+b" onChange={onChange} />);
    const input = screen.getByLabelText('Operation in a and b (mod 31)');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(screen.getByText(/a=2, b=3 → 5/)).toBeTruthy();
    fireEvent.change(input, { target: { value: '(a*a + 3*b) % p' } });
    expect(onChange).toHaveBeenLastCalledWith('(a*a + 3*b) % p', true);
    expect(screen.getByText(/a=2, b=3 → 13/)).toBeTruthy();
    expect(screen.getByText(/961 of 961 pairs defined, 31 distinct answers/)).toBeTruthy();
  });

  it('shows the parser message and points at the bad character', () => {
    const onChange = vi.fn();
    render(<Harness initial="a+b" onChange={onChange} />);
    const input = screen.getByLabelText('Operation in a and b (mod 31)');
    fireEvent.change(input, { target: { value: 'a * (b + c)' } });
    expect(onChange).toHaveBeenLastCalledWith('a * (b + c)', false);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toMatch(/unexpected 'c' at position 10/);
    const pointer = screen.getByTestId('expression-pointer');
    expect(pointer.querySelector('mark')?.textContent).toBe('c');
    expect(pointer.textContent?.split('\n')[1]).toBe('         ^');
  });

  it('points past the end for an unfinished expression', () => {
    render(<Harness initial="(a + b" />);
    const pointer = screen.getByTestId('expression-pointer');
    expect(pointer.querySelector('mark')?.textContent).toBe(' ');
    expect(pointer.textContent?.split('\n')[1]).toBe('      ^');
    expect(screen.getByRole('alert').textContent).toMatch(/expected '\)' but found the end/);
  });

  it('loads a valid CSV table', async () => {
    const onTable = vi.fn();
    render(<Harness initial="a+b" onTable={onTable} />);
    upload(screen.getByLabelText(/upload a table/), 'xor.csv', 'a,b,result\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    await waitFor(() => expect(onTable).toHaveBeenCalledTimes(1));
    const [table, name] = onTable.mock.calls[0] as [CsvTable, string];
    expect(name).toBe('xor.csv');
    expect(table.modulus).toBe(2);
    expect(screen.getByRole('status').textContent).toMatch(
      /Loaded xor\.csv: 4 pairs, p = 2 \(the largest value \+ 1\), 100% of the table/,
    );
  });

  it('lists CSV errors with their line numbers', async () => {
    const onTable = vi.fn();
    render(<Harness initial="a+b" onTable={onTable} />);
    upload(screen.getByLabelText(/upload a table/), 'bad.csv', 'a,b,result\n0,0,0\n0,1,x\n0,0,1\n');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/bad\.csv was not loaded/);
    const items = Array.from(alert.querySelectorAll('li'), (li) => li.textContent);
    expect(items).toEqual([
      'line 3: result = "x" is not a whole number',
      'line 4: (0, 0) → 1 contradicts line 2, which gives (0, 0) → 0',
    ]);
    expect(onTable).not.toHaveBeenCalled();
  });

  it('hides the upload without an onTable handler', () => {
    render(<Harness initial="a+b" />);
    expect(screen.queryByLabelText(/upload a table/)).toBeNull();
  });

  it('keeps the "repeated rows were skipped" notice after the input unmounts, until dismissed or the next upload', async () => {
    // As the setup panel does: a loaded table switches the task to "table", which replaces this input.
    function Page() {
      const [uploaded, setUploaded] = useState(false);
      return uploaded ? (
        <div>
          Table in use. <UploadNotice />
        </div>
      ) : (
        <Harness initial="a+b" onTable={() => setUploaded(true)} />
      );
    }
    render(<Page />);
    upload(screen.getByLabelText(/upload a table/), 'dup.csv', 'a,b,r\n0,0,0\n0,1,1\n0,1,1\n1,0,1\n1,1,0\n');
    await screen.findByText(/Table in use/);
    expect(screen.getByRole('status').textContent).toMatch(
      /Loaded dup\.csv: 4 pairs.*1 repeated rows were skipped/,
    );
    fireEvent.click(screen.getByRole('button', { name: /dismiss/i }));
    expect(screen.queryByRole('status')).toBeNull();
    cleanup();

    // The next upload replaces the notice.
    render(<Page />);
    expect(screen.queryByRole('status')).toBeNull();
    upload(screen.getByLabelText(/upload a table/), 'xor.csv', 'a,b,result\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    await screen.findByText(/Table in use/);
    expect(screen.getByRole('status').textContent).toMatch(/Loaded xor\.csv/);
    expect(screen.getByRole('status').textContent).not.toMatch(/repeated/);
    fireEvent.click(screen.getByRole('button', { name: /dismiss/i }));
  });
});
