import { useId, useState, type ChangeEvent } from 'react';
import { lessonMinutes } from '../../lessons/navigation';
import type { Lesson } from '../../lessons/schema';
import { ImportProblems } from './ImportProblems';
import { LessonEditor } from './LessonEditor';
import { useLesson, useLessonStore } from './lessonStore';
import { TeacherSheet } from './TeacherSheet';

/** The lessons offered: teach one, print its teacher's sheet, edit a copy; import a lesson file; a new lesson. */
function LessonList({ onClose }: { onClose: () => void }) {
  const lessons = useLesson((state) => state.lessons);
  const open = useLesson((state) => state.open);
  const edit = useLesson((state) => state.edit);
  const importText = useLesson((state) => state.importText);
  const problems = useLesson((state) => state.problems);
  const [sheet, setSheet] = useState<Lesson | null>(null);
  const fileId = useId();
  const importFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    const lesson = importText(await file.text());
    if (lesson) edit(lesson);
  };
  if (sheet) return <TeacherSheet lesson={sheet} onClose={() => setSheet(null)} />;
  return (
    <div className="lesson-dialog" role="dialog" aria-label="Lessons">
      <h2>Lessons</h2>
      <ul className="lesson-list">
        {lessons.map((lesson) => (
          <li key={lesson.id} className="lesson-list__item">
            <div>
              <strong>{lesson.title}</strong> <span>≈ {lessonMinutes(lesson)} min</span>
              <p>{lesson.summary}</p>
            </div>
            <div className="lesson-list__buttons">
              <button
                type="button"
                className="button button--primary"
                onClick={() => {
                  onClose();
                  void open(lesson);
                }}
              >
                Teach <span className="sr-only">{lesson.title}</span>
              </button>
              <button type="button" className="button" onClick={() => setSheet(lesson)}>
                Teacher's sheet <span className="sr-only">of {lesson.title}</span>
              </button>
              <button type="button" className="button" onClick={() => edit(lesson)}>
                Edit a copy <span className="sr-only">of {lesson.title}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
      <ImportProblems problems={problems} what="This lesson file cannot be opened" />
      <div className="lesson-dialog__actions">
        <label className="button" htmlFor={fileId}>
          Import lesson file…
        </label>
        <input
          id={fileId}
          className="sr-only"
          type="file"
          accept=".json,application/json"
          onChange={(event) => void importFile(event)}
        />
        <button type="button" className="button" onClick={() => edit()}>
          New lesson
        </button>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

/** "Lessons" in the top bar: the list of lessons, and the editor when a lesson is being edited. */
export function LessonsButton() {
  const store = useLessonStore();
  const [open, setOpen] = useState(false);
  const editing = useLesson((state) => state.draft !== null);
  if (!store) return null;
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)} aria-haspopup="dialog">
        Lessons
      </button>
      {editing ? (
        <LessonEditor onTeach={() => setOpen(false)} />
      ) : (
        open && <LessonList onClose={() => setOpen(false)} />
      )}
    </>
  );
}
