import type { Config } from 'tailwindcss';

const config: Config = {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        brand: {
          50: '#f1f7f4',
          100: '#dcebe3',
          500: '#2f7d5b',
          600: '#256549',
          700: '#1d503a',
          900: '#10291f',
        },
        ink: '#17201b',
      },
      fontFamily: {
        sans: ['ui-sans-serif', 'system-ui', 'Segoe UI', 'Roboto', 'Helvetica Neue', 'sans-serif'],
      },
    },
  },
};

export default config;
