import type { Theme } from '@aws-amplify/ui-react';
import { BRAND, INK } from '../ui/brand-colors';

/**
 * The Authenticator in the store's style: brand green instead of Amplify's teal, ink pill buttons
 * as elsewhere in the shop, rounded fields and card, the system font. Only looks change: the
 * labels, tab names and buttons keep Amplify's own words.
 */
export const signInTheme: Theme = {
  name: 'saga-supply',
  tokens: {
    fonts: {
      default: {
        variable: {
          value: "ui-sans-serif, system-ui, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif",
        },
        static: {
          value: "ui-sans-serif, system-ui, 'Segoe UI', Roboto, 'Helvetica Neue', sans-serif",
        },
      },
    },
    colors: {
      brand: {
        primary: {
          10: { value: BRAND[50] },
          20: { value: BRAND[100] },
          40: { value: BRAND[500] },
          60: { value: BRAND[500] },
          80: { value: BRAND[600] },
          90: { value: BRAND[700] },
          100: { value: BRAND[900] },
        },
      },
      font: { interactive: { value: BRAND[700] } },
    },
    radii: {
      small: { value: '0.5rem' },
      medium: { value: '0.75rem' },
      large: { value: '1rem' },
    },
    components: {
      authenticator: {
        router: {
          borderWidth: { value: '1px' },
          borderColor: { value: '#e5e5e5' },
          boxShadow: { value: '0 1px 3px rgb(0 0 0 / 0.06)' },
        },
      },
      button: {
        borderRadius: { value: '9999px' },
        fontWeight: { value: '600' },
        primary: {
          backgroundColor: { value: INK },
          _hover: { backgroundColor: { value: BRAND[700] } },
          _focus: { backgroundColor: { value: BRAND[700] } },
          _active: { backgroundColor: { value: BRAND[900] } },
        },
        link: { color: { value: BRAND[700] }, _hover: { color: { value: INK } } },
      },
      fieldcontrol: {
        borderRadius: { value: '0.5rem' },
        _focus: {
          borderColor: { value: BRAND[500] },
          boxShadow: { value: `0 0 0 1px ${BRAND[500]}` },
        },
      },
      tabs: {
        item: {
          color: { value: '#525252' },
          fontWeight: { value: '600' },
          _hover: { color: { value: INK } },
          _active: { color: { value: INK }, borderColor: { value: BRAND[600] } },
          _focus: { color: { value: INK } },
        },
      },
    },
  },
};
