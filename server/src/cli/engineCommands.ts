// The commands that drive the replication engine, loaded together (dist/cli-engine.js) only when
// one of them runs: `check` and `hook` do not pay for them. Each prints through the one mask.
import { masked } from './maskedIo';
import { planCommand as plan } from './plan';
import { startCommand as start } from './start';
import { listCommand as list } from './list';
import { daemonCommand as daemon } from './daemon';
import { mirrorCommand as mirror } from './mirror';
import { deleteProjectCommand as deleteProject } from './deleteProject';
import { statusCommand as status } from './status';
import { explainCommand as explain } from './explain';

export { PLAN_USAGE } from './plan';
export { START_USAGE } from './start';
export { LIST_USAGE } from './list';
export { DAEMON_USAGE } from './daemon';
export { MIRROR_USAGE } from './mirror';
export { DELETE_PROJECT_USAGE } from './deleteProject';
export { STATUS_USAGE } from './status';
export { EXPLAIN_USAGE } from './explain';

export const planCommand = masked(plan);
export const startCommand = masked(start);
export const listCommand = masked(list);
export const daemonCommand = masked(daemon);
export const mirrorCommand = masked(mirror);
export const deleteProjectCommand = masked(deleteProject);
export const statusCommand = masked(status);
export const explainCommand = masked(explain);
