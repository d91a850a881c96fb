import { defineStorage } from '@aws-amplify/backend';
import { generateReceipt } from '../functions/generate-receipt/resource';
import { receiptUrl } from '../functions/receipt-url/resource';

/** PDF receipts: written by the workflow, read only through receiptUrl's presigned links. */
export const storage = defineStorage({
  name: 'receipts',
  access: (allow) => ({
    'receipts/*': [
      allow.resource(generateReceipt).to(['write']),
      allow.resource(receiptUrl).to(['read']),
    ],
  }),
});
