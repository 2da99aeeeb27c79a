import { teacherSheet, teacherSheetText } from '../../lessons/sheet';
import type { Lesson } from '../../lessons/schema';
import { downloadBlob } from '../../lib/exportRun';

/** The printable teacher's sheet of a lesson (the page prints only this while it is open). */
export function TeacherSheet({ lesson, onClose }: { lesson: Lesson; onClose: () => void }) {
  const sheet = teacherSheet(lesson);
  return (
    <div className="lesson-dialog lesson-sheet" role="dialog" aria-label={`Teacher's sheet: ${lesson.title}`}>
      <div className="lesson-dialog__actions lesson-sheet__actions">
        <button type="button" className="button button--primary" onClick={() => window.print()}>
          Print
        </button>
        <button
          type="button"
          className="button"
          onClick={() =>
            downloadBlob(
              new Blob([teacherSheetText(lesson)], { type: 'text/plain' }),
              `${lesson.id}-teachers-sheet.txt`,
            )
          }
        >
          Save as text
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <h1>
        {sheet.title} <small>— teacher's sheet, ≈ {sheet.minutes} min</small>
      </h1>
      <p>{sheet.summary}</p>
      <ol className="lesson-sheet__steps">
        {sheet.steps.map((step) => (
          <li key={step.heading}>
            <h2>
              {step.heading} <small>≈ {step.minutes} min</small>
            </h2>
            <p>{step.text}</p>
            <dl>
              <dt>Lab</dt>
              <dd>{step.lab}</dd>
              <dt>Do</dt>
              <dd>{step.action}</dd>
              {step.expect && (
                <>
                  <dt>Expect</dt>
                  <dd>{step.expect}</dd>
                </>
              )}
              {step.question && (
                <>
                  <dt>Ask</dt>
                  <dd>{step.question.ask}</dd>
                  <dt>Answer</dt>
                  <dd>{step.question.answer}</dd>
                </>
              )}
            </dl>
          </li>
        ))}
      </ol>
    </div>
  );
}
