import { useId, useState, type ChangeEvent } from 'react';
import { lessonFileText, parseLesson, type LessonStep } from '../../lessons/schema';
import { describeSetup } from '../../lessons/sheet';
import { downloadBlob } from '../../lib/exportRun';
import { useLesson } from './lessonStore';
import { ImportProblems } from './ImportProblems';

/** One step of the draft: its text fields, and buttons to move or remove it. */
function StepEditor({ step, index, count }: { step: LessonStep; index: number; count: number }) {
  const updateStep = useLesson((state) => state.updateStep);
  const reorder = useLesson((state) => state.reorderStep);
  const remove = useLesson((state) => state.removeStep);
  const id = useId();
  const label = `step ${index + 1}`;
  const setQuestion = (part: 'ask' | 'answer', value: string) => {
    const question = { ask: step.question?.ask ?? '', answer: step.question?.answer ?? '', [part]: value };
    updateStep(index, {
      question: question.ask === '' && question.answer === '' ? undefined : question,
    });
  };
  return (
    <li className="lesson-editor__step" aria-label={`Step ${index + 1}: ${step.title}`}>
      <div className="lesson-editor__step-head">
        <label htmlFor={`${id}-title`}>{`Step ${index + 1}`}</label>
        <input
          id={`${id}-title`}
          aria-label={`Title of ${label}`}
          value={step.title}
          onChange={(event) => updateStep(index, { title: event.target.value })}
        />
        <button
          type="button"
          className="button"
          aria-label={`Move ${label} up`}
          disabled={index === 0}
          onClick={() => reorder(index, index - 1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Move ${label} down`}
          disabled={index === count - 1}
          onClick={() => reorder(index, index + 1)}
        >
          ↓
        </button>
        <button type="button" className="button" aria-label={`Remove ${label}`} onClick={() => remove(index)}>
          Remove
        </button>
      </div>
      <p className="lesson-editor__setup">{describeSetup(step.setup)}</p>
      <textarea
        aria-label={`Text of ${label}`}
        rows={2}
        value={step.text}
        onChange={(event) => updateStep(index, { text: event.target.value })}
      />
      <input
        aria-label={`Question of ${label}`}
        placeholder="A question for the class (optional)"
        value={step.question?.ask ?? ''}
        onChange={(event) => setQuestion('ask', event.target.value)}
      />
      <input
        aria-label={`Answer of ${label}`}
        placeholder="Its answer (the next step reveals it)"
        value={step.question?.answer ?? ''}
        onChange={(event) => setQuestion('answer', event.target.value)}
      />
    </li>
  );
}

/**
 * A teacher's own lesson: the lesson's title and summary, its steps (edit their text, reorder, remove), the lab's
 * current setup saved as a new step, and the lesson as a file (export; import in the lessons list).
 */
export function LessonEditor({ onTeach }: { onTeach?: () => void }) {
  const draft = useLesson((state) => state.draft);
  const updateDraft = useLesson((state) => state.updateDraft);
  const addCurrentSetup = useLesson((state) => state.addCurrentSetup);
  const saveDraft = useLesson((state) => state.saveDraft);
  const close = useLesson((state) => state.closeEditor);
  const open = useLesson((state) => state.open);
  const [problems, setProblems] = useState<readonly string[]>([]);
  if (!draft) return null;
  const checked = () => {
    const result = parseLesson(draft);
    setProblems(result.ok ? [] : result.problems);
    return result.ok ? result.lesson : null;
  };
  const exportFile = () => {
    const lesson = checked();
    if (lesson)
      downloadBlob(
        new Blob([lessonFileText(lesson)], { type: 'application/json' }),
        `${lesson.id}.lesson.json`,
      );
  };
  const field =
    (key: 'title' | 'id' | 'summary') => (event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      updateDraft((lesson) => ({ ...lesson, [key]: event.target.value }));
  return (
    <div className="lesson-dialog lesson-editor" role="dialog" aria-label="Lesson editor">
      <h2>Edit lesson</h2>
      <div className="lesson-editor__meta">
        <input aria-label="Lesson title" value={draft.title} onChange={field('title')} />
        <input aria-label="Lesson id (file name)" value={draft.id} onChange={field('id')} />
        <textarea aria-label="Lesson summary" rows={2} value={draft.summary} onChange={field('summary')} />
      </div>
      <ol className="lesson-editor__steps">
        {draft.steps.map((step, index) => (
          <StepEditor key={index} step={step} index={index} count={draft.steps.length} />
        ))}
      </ol>
      <ImportProblems problems={problems} what="This lesson cannot be exported yet" />
      <div className="lesson-dialog__actions">
        <button type="button" className="button" onClick={addCurrentSetup}>
          Save current setup as a step
        </button>
        <button type="button" className="button" onClick={exportFile}>
          Export file
        </button>
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            const lesson = checked();
            if (!lesson) return;
            saveDraft();
            onTeach?.();
            void open(lesson);
          }}
        >
          Teach it
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            if (checked()) saveDraft();
          }}
        >
          Keep in the lessons
        </button>
        <button type="button" className="button" onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
