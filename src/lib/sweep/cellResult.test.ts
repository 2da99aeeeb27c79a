import { describe, expect, it } from 'vitest';
import { CELL_FILE_PATTERN, cellFileName, CellFileError, readCellFile } from './cellResult';
import { smallSweep } from './testSweep';

describe('cell files', () => {
  const cell = smallSweep().cells[1];
  const file = {
    config: cell.config,
    backend: 'wasm',
    history: [],
    stepsToGrok: 450,
    stoppedBecause: 'grokked',
    final: { step: 550, testAccuracy: 0.995, trainAccuracy: 1, weightNorm: 12 },
    msPerStep: 9.5,
    wallMs: 6000,
    cpuMs: 5300,
  };

  it('reads a train-CLI JSON back as the cell whose config it holds', () => {
    const { outcome } = readCellFile(JSON.parse(JSON.stringify(file)));
    expect(outcome).toEqual({
      id: cell.id,
      stepsToGrok: 450,
      stoppedBecause: 'grokked',
      finalStep: 550,
      finalTestAccuracy: 0.995,
      wallMs: 6000,
      cpuMs: 5300,
      msPerStep: 9.5,
    });
  });

  it('reads files written before cpuMs existed', () => {
    const { cpuMs: _cpuMs, ...older } = file;
    expect(readCellFile(older).outcome.cpuMs).toBeNull();
  });

  it('says which field is wrong', () => {
    expect(() => readCellFile({ ...file, stoppedBecause: 'tired' })).toThrow(CellFileError);
    expect(() => readCellFile({ ...file, stoppedBecause: 'tired' })).toThrow(/stoppedBecause/);
    expect(() => readCellFile({ ...file, config: { ...cell.config, seed: -1 } })).toThrow(/config: seed/);
    expect(() => readCellFile(null)).toThrow(CellFileError);
  });

  it('names files by cell id', () => {
    expect(cellFileName(cell.id)).toBe(`cell-${cell.id}.json`);
    expect(CELL_FILE_PATTERN.test(cellFileName(cell.id))).toBe(true);
    expect(CELL_FILE_PATTERN.test('cells.json')).toBe(false);
  });
});
