import { useEffect, useId, useState, type ReactNode } from 'react';

/**
 * The settings sidebar. On wide screens it is the left column as always; on narrow ones (screens.css, ≤ 900 px)
 * it slides in over the page from a "Settings" button, and closes with the button, Escape or a tap beside it.
 * Self-contained: the page's layout wraps its settings panels in it and nothing else changes.
 */
export function SidebarDrawer({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  return (
    <>
      <button
        type="button"
        className="button drawer-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((value) => !value)}
      >
        {open ? 'Close settings' : 'Settings'}
      </button>
      <aside id={id} className={`sidebar${open ? ' sidebar--open' : ''}`} aria-label="Settings">
        {children}
      </aside>
      {open && <div className="drawer-backdrop" aria-hidden="true" onClick={() => setOpen(false)} />}
    </>
  );
}
