// The commands that drive the replication engine, loaded together (dist/cli-engine.js) only when
// one of them runs: `check` and `hook` do not pay for them.
export { planCommand, PLAN_USAGE } from './plan';
export { startCommand, START_USAGE } from './start';
export { listCommand, LIST_USAGE } from './list';
export { daemonCommand, DAEMON_USAGE } from './daemon';
export { mirrorCommand, MIRROR_USAGE } from './mirror';
export { deleteProjectCommand, DELETE_PROJECT_USAGE } from './deleteProject';
export { statusCommand, STATUS_USAGE } from './status';
export { explainCommand, EXPLAIN_USAGE } from './explain';
