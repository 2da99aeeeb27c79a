import { describe, expect, it } from 'vitest';
import { reloadReason } from './serviceWorker';

describe('reloadReason (when a service worker takes control)', () => {
  it('reloads into an update the user accepted', () => {
    expect(reloadReason({ isUpdate: true, crossOriginIsolated: true, reloadedForIsolation: false })).toBe(
      'update',
    );
  });

  it('reloads once for isolation on a host without the headers, never twice in a tab', () => {
    expect(reloadReason({ isUpdate: false, crossOriginIsolated: false, reloadedForIsolation: false })).toBe(
      'isolation',
    );
    expect(
      reloadReason({ isUpdate: false, crossOriginIsolated: false, reloadedForIsolation: true }),
    ).toBeNull();
  });

  it('does not reload a page that is already isolated (the host sends the headers)', () => {
    expect(
      reloadReason({ isUpdate: false, crossOriginIsolated: true, reloadedForIsolation: false }),
    ).toBeNull();
  });
});
