// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SidebarDrawer } from './SidebarDrawer';

afterEach(cleanup);

describe('SidebarDrawer', () => {
  it('opens and closes the settings from its button, Escape and the backdrop, saying so with aria-expanded', () => {
    const { container } = render(
      <SidebarDrawer>
        <p>panels</p>
      </SidebarDrawer>,
    );
    const toggle = screen.getByRole('button', { name: 'Settings' });
    const drawer = screen.getByRole('complementary', { name: 'Settings' });
    expect(toggle.getAttribute('aria-controls')).toBe(drawer.id);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(drawer.textContent).toBe('panels');

    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.textContent).toBe('Close settings');
    expect(drawer.classList.contains('sidebar--open')).toBe(true);
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    fireEvent.click(toggle);
    fireEvent.click(container.querySelector('.drawer-backdrop')!);
    expect(drawer.classList.contains('sidebar--open')).toBe(false);
    expect(container.querySelector('.drawer-backdrop')).toBeNull();
  });
});
