import { formatMoney as domainFormatMoney } from '@/amplify/domain/pricing';

/** Formats integer cents for people, e.g. 123456 USD -> "$1,234.56" (the receipts use the same). */
export const formatMoney = (cents: number, currency = 'USD'): string =>
  domainFormatMoney(cents, currency);
