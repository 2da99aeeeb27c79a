import { useState } from 'react';
import type { CsvTable } from '../../lib/csvTask';
import { OPERATIONS } from '../../engine/tasks/modular';
import { CheckboxField, NumberField, SelectField, SliderField } from '../components/ConfigFields';
import { Field } from '../components/Field';
import { useLab, useLane } from '../store';
import { CustomTaskInput, UploadNotice } from './CustomTaskInput';

const TASK_OPTIONS = [
  { value: 'modular', label: 'Modular a∘b' },
  { value: 'addition', label: 'Addition' },
  { value: 'parity', label: 'Sparse parity' },
  { value: 'table', label: 'CSV table' },
];

const MODEL_OPTIONS = [
  { value: 'mlp', label: 'MLP' },
  { value: 'transformer', label: 'Transformer' },
];

const CUSTOM = '__custom__';

function OperationField() {
  const operation = useLane((state) => state.draft.task.operation);
  const issue = useLane((state) => state.issues['task.operation']);
  const pending = useLane((state) => state.pendingReset.includes('task.operation'));
  const setField = useLab((state) => state.setField);
  const builtIn = operation in OPERATIONS;
  const [custom, setCustom] = useState(!builtIn);
  const showCustom = custom || !builtIn;
  return (
    <>
      <Field label="Operation" issue={showCustom ? undefined : issue} pending={pending && !showCustom}>
        {({ id, describedBy, invalid }) => (
          <select
            id={id}
            value={showCustom ? CUSTOM : operation}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            onChange={(event) => {
              if (event.target.value === CUSTOM) setCustom(true);
              else {
                setCustom(false);
                setField('task.operation', event.target.value);
              }
            }}
          >
            {Object.entries(OPERATIONS).map(([name, expression]) => (
              <option key={name} value={name}>
                {expression}
              </option>
            ))}
            <option value={CUSTOM}>Custom expression…</option>
          </select>
        )}
      </Field>
      {showCustom && <CustomOperation />}
    </>
  );
}

/** A custom expression in a, b and p, or an uploaded CSV table (the CustomTaskInput component). */
function CustomOperation() {
  const operation = useLane((state) => state.draft.task.operation);
  const modulus = useLane((state) => state.draft.task.modulus);
  const pending = useLane((state) => state.pendingReset.includes('task.operation'));
  const setField = useLab((state) => state.setField);
  const setFields = useLab((state) => state.setFields);
  return (
    <div className="custom-operation">
      {/*
       * Every edit goes into the draft, valid or not: the box shows the draft, and Start refuses a draft that cannot
       * run with the box's own message. Keeping the last valid text aside trained a task the box no longer showed.
       */}
      <CustomTaskInput
        modulus={modulus}
        value={operation}
        onChange={(value) => setField('task.operation', value)}
        onTable={(table, fileName) =>
          setFields({
            task: {
              kind: 'table',
              modulus: table.modulus,
              table: { name: fileName.slice(0, 200), rows: tableRows(table) },
            },
          })
        }
      />
      {pending && <p className="field__pending">reset to apply</p>}
    </div>
  );
}

/** Flat (a, b, result) triples, the config's form of an uploaded table. */
function tableRows(table: CsvTable): number[] {
  const rows: number[] = [];
  for (let i = 0; i < table.results.length; i++) rows.push(table.a[i], table.b[i], table.results[i]);
  return rows;
}

/** The uploaded table in use, and a way back to an expression. */
function TableSummary() {
  const table = useLane((state) => state.draft.task.table);
  const modulus = useLane((state) => state.draft.task.modulus);
  const issue = useLane((state) => state.issues['task.table']);
  const setField = useLab((state) => state.setField);
  return (
    <div className="table-summary">
      <p>
        {table
          ? `Uploaded table “${table.name}”: ${table.rows.length / 3} pairs, values mod ${modulus}.`
          : 'No table uploaded.'}
      </p>
      {issue && <p className="field__issue">{issue}</p>}
      <UploadNotice />
      <button type="button" className="button" onClick={() => setField('task.kind', 'modular')}>
        Use an expression instead
      </button>
    </div>
  );
}

/** The task, model and seed: fixed for a run (changing them needs a reset). */
export function SetupPanel() {
  const taskKind = useLane((state) => state.draft.task.kind);
  const modelKind = useLane((state) => state.draft.model.kind);
  return (
    <section className="panel" aria-labelledby="setup-title">
      <h2 id="setup-title" className="panel__title">
        Task &amp; model <span className="panel__subtitle">apply on reset</span>
      </h2>
      <div className="field-grid">
        <SelectField path="task.kind" options={TASK_OPTIONS} />
        {taskKind === 'modular' && (
          <>
            <OperationField />
            <NumberField path="task.modulus" min={2} max={257} step={1} />
          </>
        )}
        {taskKind === 'table' && <TableSummary />}
        {taskKind === 'addition' && (
          <>
            <NumberField path="task.digits" min={1} max={6} step={1} />
            <NumberField path="task.samples" min={16} max={200000} step={1} />
          </>
        )}
        {taskKind === 'parity' && (
          <>
            <NumberField path="task.parityBits" min={2} max={64} step={1} />
            <NumberField path="task.parityRelevant" min={1} max={16} step={1} />
            <NumberField path="task.samples" min={16} max={200000} step={1} />
          </>
        )}
        <SliderField
          path="task.trainFraction"
          range={{ min: 0.05, max: 0.95, scale: 'linear' }}
          hint="Share of the table the model trains on; the rest is the held-out test set."
        />
        <SelectField path="model.kind" options={MODEL_OPTIONS} />
        {modelKind === 'mlp' ? (
          <>
            <NumberField path="model.embedDim" min={1} max={1024} step={1} />
            <NumberField path="model.hiddenWidth" min={1} max={4096} step={1} />
            <NumberField path="model.hiddenLayers" min={1} max={8} step={1} />
            <SelectField path="model.activation" options={['relu', 'gelu', 'tanh']} />
          </>
        ) : (
          <>
            <NumberField path="model.layers" min={1} max={8} step={1} />
            <NumberField path="model.dModel" min={4} max={1024} step={1} />
            <NumberField path="model.heads" min={1} max={32} step={1} />
            <NumberField path="model.dMlp" min={4} max={4096} step={1} />
            <CheckboxField path="model.layerNorm" />
          </>
        )}
        <NumberField
          path="seed"
          min={0}
          step={1}
          hint="Same seed + reset = the same initial weights and split."
        />
      </div>
    </section>
  );
}
