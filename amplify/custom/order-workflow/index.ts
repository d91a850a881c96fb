export { OrderMessaging, type OrderMessagingProps } from './messaging';
export { OrderMonitoring, type OrderMonitoringProps } from './monitoring';
export { hardenReceiptsBucket } from './receipts-bucket';
export {
  OrderWorkflow,
  RETRIED_ERRORS,
  TASK_TIMEOUT_SECONDS,
  type OrderWorkflowTasks,
  type SagaTask,
} from './workflow';
