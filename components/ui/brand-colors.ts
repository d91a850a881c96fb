/** The store's colours: Tailwind's theme (tailwind.config.ts) and the sign-in box's theme share them. */
export const BRAND = {
  50: '#f1f7f4',
  100: '#dcebe3',
  500: '#2f7d5b',
  600: '#256549',
  700: '#1d503a',
  900: '#10291f',
} as const;

export const INK = '#17201b';
