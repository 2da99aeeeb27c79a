import { useLab } from '../store';
import { Switch } from './Switch';

/** Switches between the full lab and the classroom (presentation) layout. */
export function ClassroomToggle() {
  const classroom = useLab((state) => state.classroom);
  const setClassroom = useLab((state) => state.setClassroom);
  return (
    <Switch checked={classroom} label="Classroom mode" onChange={setClassroom} className="switch--labelled">
      <span aria-hidden="true">Classroom</span>
    </Switch>
  );
}
