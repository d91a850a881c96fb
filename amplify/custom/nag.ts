import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/** Runs the cdk-nag AwsSolutions pack over the whole app; every acknowledged finding is listed here with its reason. */
export const applyNagChecks = (rootStack: Stack): void => {
  const app = rootStack.node.root;
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
};
