import { describe, expect, it } from 'vitest';
import { shownAt } from './dates';

describe('shownAt', () => {
  const iso = '2026-12-02T15:11:04.123Z';
  const local = new Date(iso);

  it('shows the date with its month named and the time to the minute', () => {
    const shown = shownAt(iso);
    expect(shown).toMatch(/^Dec \d{1,2}, 2026, \d{1,2}:\d{2}\s[AP]M$/);
    expect(shown).toContain(String(local.getDate()));
  });

  it('shows seconds when asked, for steps that happen a second apart', () => {
    expect(shownAt(iso, { seconds: true })).toMatch(/\d{1,2}:\d{2}:04\s[AP]M$/);
  });

  it('shows nothing for a missing or unreadable time', () => {
    expect(shownAt(undefined)).toBe('');
    expect(shownAt(null)).toBe('');
    expect(shownAt('')).toBe('');
    expect(shownAt('not a date')).toBe('');
  });
});
