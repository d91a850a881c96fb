/**
 * One way to show a moment across the storefront ("Dec 2, 2026, 3:11 PM"), so an order reads the
 * same in the history, on its own page, in the admin list and in the mailbox. Progress steps a
 * second apart show seconds. A missing or unreadable time shows as nothing, not "Invalid Date".
 */
export function shownAt(
  iso: string | null | undefined,
  options: { seconds?: boolean } = {},
): string {
  if (!iso) return '';
  const moment = new Date(iso);
  if (Number.isNaN(moment.getTime())) return '';
  return moment.toLocaleString('en-US', {
    dateStyle: 'medium',
    timeStyle: options.seconds ? 'medium' : 'short',
  });
}
