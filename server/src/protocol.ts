// Custom LSP requests and notifications between the VS Code client and the server's engine.
// Shared by both sides; imports nothing from `vscode`. The client is a thin view of these.

export const Methods = {
  /** Dry run: every ref change per project × remote × URL. Params: PlanParams → PlanResult. */
  plan: 'gitReplication/plan',
  /** Schedule replication. Params: StartParams → StartResult. */
  start: 'gitReplication/start',
  /** Current queue. Params: {} → QueueSnapshot. */
  queue: 'gitReplication/queue',
  /** Cancel tasks. Params: {taskIds?: string[]; all?: boolean} → {cancelled: number}. */
  cancel: 'gitReplication/cancel',
  /** Retry failed/waiting tasks now. Params: {taskIds?: string[]; failed?: boolean} → {retried: number}. */
  retry: 'gitReplication/retry',
  /** Remotes of the site with their URLs and non-default settings. Params: {site?: string} → RemoteSummary[]. */
  remotes: 'gitReplication/remotes',
  /** Projects of the site and which remotes match them. Params: {site?: string} → ProjectSummary[]. */
  projects: 'gitReplication/projects',
  /** Server → client notification: the queue changed. Params: QueueSnapshot. */
  queueChanged: 'gitReplication/queueChanged',
  /** Server → client notification: a log line for the output channel. Params: {level, message}. */
  log: 'gitReplication/log',
} as const;

export interface SiteParams {
  /** A Gerrit site directory, or a gitolite home. Defaults to the server's configured site. */
  site?: string;
}

export interface PlanParams extends SiteParams {
  projects?: string[]; // empty/undefined = all projects
  remotes?: string[];
  urlPattern?: string;
}

export type RefChangeKind = 'create' | 'fast-forward' | 'force' | 'delete' | 'up-to-date' | 'rejected';

export interface PlanRefChange {
  /** Local ref (source side of the refspec); for deletes, the remote ref. */
  ref: string;
  /** Ref on the mirror. */
  remoteRef: string;
  kind: RefChangeKind;
  oldId: string | null;
  newId: string | null;
  /** Why a ref is rejected (e.g. non-fast-forward without '+'). */
  reason?: string;
}

export interface PlanTarget {
  project: string;
  remote: string;
  /** The expanded URL, with any credentials removed. */
  url: string;
  /** The repository does not exist on the mirror and would be created. */
  createRepository: boolean;
  /** The URL cannot be reached: git's error, with secrets redacted. */
  unreachable?: string;
  changes: PlanRefChange[];
}

export interface CheckDiagnostic {
  file: string;
  line: number; // 1-based
  column: number; // 1-based
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

export interface PlanResult {
  site: string;
  targets: PlanTarget[];
  /** Config diagnostics; when any is an error the plan is refused (targets empty), as Gerrit refuses to load. */
  diagnostics: CheckDiagnostic[];
  refused: boolean;
}

export interface StartParams extends PlanParams {
  all?: boolean;
  now?: boolean;
  wait?: boolean;
}

export interface StartResult {
  scheduled: number;
  taskIds: string[];
  /** With wait: Gerrit-style per-ref output lines. */
  output?: string[];
}

export type TaskState = 'waiting' | 'running' | 'retrying' | 'failed';

export interface QueueTask {
  id: string;
  project: string;
  remote: string;
  url: string;
  refs: string[];
  state: TaskState;
  retries: number;
  /** Epoch milliseconds of the next attempt, for waiting/retrying tasks. */
  nextAttemptAt?: number;
  lastError?: string;
}

export interface QueueSnapshot {
  pending: number;
  inFlight: number;
  failed: number;
  tasks: QueueTask[];
}

export interface RemoteSummary {
  name: string;
  /** Config file and 1-based line of the [remote] header. */
  file: string;
  line: number;
  urls: Array<{ template: string; example?: string }>;
  /** Settings whose value differs from the default, as written. */
  nonDefaults: Array<{ key: string; value: string }>;
  projectCount: number;
  errors: number;
  warnings: number;
}

export interface ProjectSummary {
  name: string;
  remotes: string[];
}
