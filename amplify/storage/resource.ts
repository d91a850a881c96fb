import { defineStorage } from '@aws-amplify/backend';
import { receiptUrl } from '../functions/receipt-url/resource';
import { sagaFunctionOf } from '../saga/functions';
import { SAGA_LAMBDAS } from '../saga/registry';

/** PDF receipts: written by the workflow, read only through receiptUrl's presigned links. */
export const storage = defineStorage({
  name: 'receipts',
  access: (allow) => ({
    'receipts/*': [
      ...SAGA_LAMBDAS.filter((lambda) => lambda.needs.receipts).map((lambda) =>
        allow.resource(sagaFunctionOf(lambda)).to(['write']),
      ),
      allow.resource(receiptUrl).to(['read']),
    ],
  }),
});
