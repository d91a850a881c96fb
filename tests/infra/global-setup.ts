/** Synthesizes the backend once for the infrastructure tests: the full assembly, then a templates-only one checked by cdk-nag. */
import { synthesize } from '../../scripts/synth';
import { NAG_OUT_DIR } from './assembly';

export default async function setup(): Promise<void> {
  await synthesize();
  await synthesize({ outDir: NAG_OUT_DIR, env: { CDK_NAG: '1' }, skipBundling: true });
}
