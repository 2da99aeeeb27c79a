import { describeCondition } from '../../lessons/conditions';
import './lessons.css';
import { revealedAnswer, stepLabel } from '../../lessons/navigation';
import { formatInteger } from '../logic/format';
import { useLab } from '../store';
import { useLesson } from './lessonStore';

/** What the current step waits for, or that it is there. */
function StepStatus() {
  const step = useLesson((state) => state.lesson?.steps[state.index]);
  const stage = useLesson((state) => state.stage);
  const metAt = useLesson((state) => state.metAt);
  const lanes = useLab((state) => state.lanes.length);
  const labStep = useLab((state) => Math.max(0, ...state.lanes.map((lane) => lane.step)));
  if (!step) return null;
  if (stage === 'setting-up')
    return (
      <p className="lesson-bar__status" data-testid="lesson-status">
        Setting up…
      </p>
    );
  if (step.do.kind === 'click' || stage === 'ready')
    return (
      <p className="lesson-bar__status" data-testid="lesson-status">
        Press <kbd>→</kbd> when the class is ready.
      </p>
    );
  const condition = describeCondition(step.do.until, lanes);
  if (stage === 'met')
    return (
      <p className="lesson-bar__status lesson-bar__status--met" data-testid="lesson-status">
        ✓ {condition}
        {metAt !== null ? ` at step ${formatInteger(metAt)}` : ''} — paused. Press <kbd>→</kbd> to go on.
      </p>
    );
  return (
    <p className="lesson-bar__status" data-testid="lesson-status">
      Waiting for: {condition} · step {formatInteger(labStep)} — <kbd>→</kbd> moves on at any time.
    </p>
  );
}

/** The lesson's current step above the lab: its title and text, the answer it reveals, its question, its status. */
export function LessonBar() {
  const lesson = useLesson((state) => state.lesson);
  const index = useLesson((state) => state.index);
  const leave = useLesson((state) => state.leave);
  if (!lesson) return null;
  const step = lesson.steps[index];
  const answer = revealedAnswer(lesson, index);
  return (
    <section className="lesson-bar" aria-label={`Lesson: ${lesson.title}`} data-testid="lesson-bar">
      <div className="lesson-bar__head">
        <span className="lesson-bar__lesson">
          {lesson.title} · <span data-testid="lesson-step">{stepLabel(lesson, index)}</span>
        </span>
        <h2 className="lesson-bar__title" data-testid="lesson-title">
          {step.title}
        </h2>
        <span className="lesson-bar__keys">
          <kbd>←</kbd> <kbd>→</kbd> <kbd>Space</kbd> steps · <kbd>Esc</kbd>{' '}
          <button type="button" className="button lesson-bar__leave" onClick={() => void leave()}>
            Leave lesson
          </button>
        </span>
      </div>
      <p className="lesson-bar__text">{step.text}</p>
      {answer && (
        <p className="lesson-bar__answer" data-testid="lesson-answer">
          <strong>Answer:</strong> {answer.answer}
        </p>
      )}
      {step.question && (
        <p className="lesson-bar__question" data-testid="lesson-question">
          <strong>Ask the class:</strong> {step.question.ask}
        </p>
      )}
      <StepStatus />
    </section>
  );
}
