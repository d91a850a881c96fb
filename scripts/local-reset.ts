/**
 * `npm run local:reset`: wipes the local backend's state (tables, buckets, users, mail, queues,
 * executions under .amplify/local/, or LOCAL_STATE_DIR), so the next start seeds afresh.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadLocalConfig } from '../local/config';

const config = loadLocalConfig();
const relative = path.relative(config.projectDir, config.stateDir) || config.stateDir;
// Refuse anything that is not a dedicated state folder, so a wrong LOCAL_STATE_DIR cannot wipe the project.
if (config.stateDir === config.projectDir || config.stateDir === path.parse(config.stateDir).root) {
  console.error(`local:reset: refusing to delete ${config.stateDir}`);
  process.exit(1);
}
if (!existsSync(config.stateDir)) {
  console.log(`local:reset: nothing to wipe (${relative} does not exist)`);
} else {
  rmSync(config.stateDir, { recursive: true, force: true });
  console.log(
    `local:reset: wiped ${relative}; the next npm run local starts empty and seeds the catalog`,
  );
}
