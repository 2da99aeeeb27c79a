import { useEffect } from 'react';
import { moveForKey } from '../../lessons/navigation';
import { isTypingTarget } from '../logic/shortcuts';
import { useLessonStore } from './lessonStore';

/**
 * While a lesson is open: → / space / PageDown = next step, ← / PageUp = previous, Escape = leave the lesson. Heard
 * before the lab's own shortcuts (capture phase), so space moves the lesson on instead of pausing the run; not
 * while typing in a field or with a dialog open.
 */
export function useLessonKeys(): void {
  const store = useLessonStore();
  useEffect(() => {
    if (!store) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const state = store.getState();
      if (!state.lesson || event.defaultPrevented || event.repeat || isTypingTarget(event.target)) return;
      if (state.draft || document.querySelector('[role="dialog"]')) return;
      if (event.key === 'Escape') {
        event.preventDefault();
        void state.leave();
        return;
      }
      const move = moveForKey(event);
      if (!move) return;
      event.preventDefault();
      void state.move(move);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [store]);
}
