export { OrderMessaging, type OrderMessagingProps } from './messaging';
export { OrderMonitoring, type OrderMonitoringProps } from './monitoring';
export { hardenReceiptsBucket } from './receipts-bucket';
export {
  COMPENSATION_STEPS,
  FORWARD_STEPS,
  OrderWorkflow,
  RETRIED_ERRORS,
  TASK_TIMEOUT_SECONDS,
  type OrderWorkflowFunctions,
} from './workflow';
