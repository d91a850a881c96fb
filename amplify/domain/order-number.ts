/**
 * The order number a shopper reads everywhere (order page, history, emails, receipt): the id's
 * first 8 hex digits in capitals. Its own module (no node:crypto) so the
 * storefront's pages can use it. The full id stays in links and the API; 32 bits tell a shopper's
 * orders apart and let support find one, and are short enough to read out on the phone.
 */
export const orderNumber = (orderId: string): string => orderId.slice(0, 8).toUpperCase();
