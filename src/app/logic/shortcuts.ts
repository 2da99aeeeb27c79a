export type ShortcutAction =
  | { kind: 'togglePlay' }
  | { kind: 'reset' }
  | { kind: 'toggleRegularizer'; index: number }
  /** l: the number keys move on to the next lane of a race. */
  | { kind: 'nextLane' };

/** The parts of a KeyboardEvent that decide a shortcut. */
export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element. */
  target: EventTarget | null;
}

const TYPING_ROLES = new Set(['textbox', 'combobox', 'slider', 'spinbutton', 'listbox', 'searchbox']);

/** Whether keys go to a field the user is typing in or adjusting (then shortcuts stay off). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select' || element.isContentEditable) return true;
  if (tag === 'input') {
    const type = (element as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return TYPING_ROLES.has(element.getAttribute('role') ?? '');
}

/** Whether space would already activate the focused element (a button, switch, checkbox or link). */
function spaceActivates(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const element = target as HTMLElement;
  const tag = element.tagName.toLowerCase();
  const role = element.getAttribute('role') ?? '';
  return (
    tag === 'button' ||
    tag === 'a' ||
    tag === 'input' ||
    ['button', 'switch', 'checkbox', 'link'].includes(role)
  );
}

/**
 * Classroom shortcuts: space = start/pause, r = reset, 1–9 = toggle the n-th regularizer (in a race: in the lane
 * the sidebar edits), l = the next lane. Not while typing
 * in a field, not with Ctrl/Cmd/Alt held.
 */
export function shortcutFor(input: KeyInput, regularizerCount: number): ShortcutAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey || isTypingTarget(input.target)) return null;
  if (input.key === ' ' || input.key === 'Spacebar')
    return spaceActivates(input.target) ? null : { kind: 'togglePlay' };
  if (input.key === 'r' || input.key === 'R') return { kind: 'reset' };
  if (input.key === 'l' || input.key === 'L') return { kind: 'nextLane' };
  if (/^[1-9]$/.test(input.key)) {
    const index = Number(input.key) - 1;
    return index < regularizerCount ? { kind: 'toggleRegularizer', index } : null;
  }
  return null;
}
