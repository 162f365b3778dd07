// Custom LSP requests and notifications between the VS Code client and the server's engine.
// Shared by both sides; imports nothing from `vscode`. The client is a thin view of these.

/**
 * A message declared once: its method name and, as phantom types, what it carries. The server's
 * lsp/ wiring and the client turn these into vscode-jsonrpc RequestType/NotificationType values,
 * so a handler or a call with the wrong params or result does not compile. No runtime import here:
 * the CLI bundles share this file and carry no LSP runtime.
 */
export interface RequestSpec<P, R> {
  readonly method: string;
  /** Phantom: never set; carries P and R for the type checker. */
  readonly types?: (params: P) => R;
}
export interface NotificationSpec<P> {
  readonly method: string;
  /** Phantom: never set; carries P for the type checker. */
  readonly types?: (params: P) => void;
}
const request = <P, R>(method: string): RequestSpec<P, R> => ({ method });
const notification = <P>(method: string): NotificationSpec<P> => ({ method });

export const Requests = {
  /** Dry run: every ref change per project × remote × URL. */
  plan: request<PlanParams, PlanResult>('gitReplication/plan'),
  /** Schedule replication. */
  start: request<StartParams, StartResult>('gitReplication/start'),
  /** Current queue. */
  queue: request<SiteParams, QueueSnapshot>('gitReplication/queue'),
  /** Cancel tasks. */
  cancel: request<CancelParams, { cancelled: number }>('gitReplication/cancel'),
  /** Remove failed tasks from the queue's list (one, some, or all). */
  dismiss: request<DismissParams, { dismissed: number }>('gitReplication/dismiss'),
  /** Retry failed/waiting tasks now. */
  retry: request<RetryParams, { retried: number }>('gitReplication/retry'),
  /** Remotes of the site with their URLs and non-default settings. */
  remotes: request<SiteParams, RemoteSummary[]>('gitReplication/remotes'),
  /** Projects of the site and which remotes match them. */
  projects: request<SiteParams, ProjectSummary[]>('gitReplication/projects'),
  /** Mirror health of each target (one ref listing per mirror), with its last success and error. */
  status: request<StatusParams, StatusResult>('gitReplication/status'),
  /** Why a project (and a ref) is or is not replicated, rule by rule, per remote and URL. */
  explain: request<ExplainParams, ExplainResult>('gitReplication/explain'),
  /** One real `ls-remote` per URL of a remote (or of one URL template). */
  testConnection: request<TestConnectionParams, ConnectionTest[]>('gitReplication/testConnection'),
  /** What a reload of the edited config (open editors included) changes, against the saved files, git HEAD or a directory. */
  reloadPreview: request<ReloadPreviewParams, ReloadPreview>('gitReplication/reloadPreview'),
} as const;

export const Notifications = {
  /** Server → client: the queue changed. */
  queueChanged: notification<QueueSnapshot>('gitReplication/queueChanged'),
  /** Server → client: a log line for the output channel. */
  log: notification<LogParams>('gitReplication/log'),
  /**
   * Server → client (the extension only, initializationOptions.vscodeCommands): an answer about
   * a whole document was cut at gitReplication.maxItemsComputed, or no longer is (limit null).
   */
  itemsLimited: notification<ItemsLimitedParams>('gitReplication/itemsLimited'),
} as const;

/** Which whole-document answer was limited: the outline or the folding ranges. */
export type LimitedFeature = 'outline' | 'folding';

export interface ItemsLimitedParams {
  uri: string;
  feature: LimitedFeature;
  /** The number of items the answer held; null: no longer limited. */
  limit: number | null;
}

/**
 * Why an engine request failed, carried as `data.code` of the JSON-RPC error (the message is
 * for people; clients branch on the code, never on the text).
 */
export type EngineErrorCode =
  | 'config-refused' // the config has errors; nothing is replicated, as Gerrit refuses to load it
  | 'untrusted' // Workspace Trust: nothing that runs git is allowed
  | 'engine-off' // gitReplication.engine.enabled is false
  | 'no-site' // no Gerrit site configured or found
  | 'usage' // contradictory parameters
  | 'failed'; // anything else

export interface EngineErrorData {
  code: EngineErrorCode;
  /** For config-refused: the errors, file:line. */
  diagnostics?: CheckDiagnostic[];
}

/** The JSON-RPC error code of every engine failure (LSP's RequestFailed); the reason is in data. */
export const ENGINE_REQUEST_FAILED = -32803;

/** An engine failure with its protocol code; thrown by the engine, answered by lsp/ as an error. */
export class EngineError extends Error {
  constructor(readonly code: EngineErrorCode, message: string, readonly diagnostics?: CheckDiagnostic[]) {
    super(message);
  }
}

export interface LogParams {
  level: 'error' | 'warning' | 'info' | 'debug';
  message: string;
}

export interface CancelParams extends SiteParams {
  taskIds?: string[];
  all?: boolean;
}

export interface DismissParams extends SiteParams {
  taskIds?: string[];
  all?: boolean;
}

export interface RetryParams extends SiteParams {
  taskIds?: string[];
  failed?: boolean;
}

export interface SiteParams {
  /** A Gerrit site directory, or a gitolite home (its .gitolite.rc beside .gitolite/ or repositories/). Defaults to the server's configured site. */
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
  /**
   * An update (fast-forward or force): what it lands, from the source repository. null: unknown
   * (the mirror's old commit is not in the source and the mirror is not a local path).
   */
  commits?: CommitSummary | null;
}

export interface CommitSummary {
  /** Commits the update brings (git rev-list --count old..new). */
  count: number;
  /** Their subjects, newest first, at most 10. */
  subjects: string[];
  /** A forced update: the commits of the old value it drops (new..old). */
  dropped?: number;
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
  /** Something to know about the target (gitolite: a nosync copy, pushed only by hand). */
  note?: string;
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
  /** Other places the finding involves (check --hosts: the other host's line). */
  related?: Array<{ file: string; line: number; column: number; message: string }>;
}

export interface PlanResult {
  site: string;
  targets: PlanTarget[];
  /** Config diagnostics; when any is an error the plan is refused (targets empty), as Gerrit refuses to load. */
  diagnostics: CheckDiagnostic[];
  refused: boolean;
  /** What the site is: a Gerrit site (default) or a gitolite home. */
  siteKind?: 'gerrit' | 'gitolite';
  /** gitolite: repositories this host does not push, and why (HOSTNAME unset, a copy here, mirrored elsewhere). */
  skipped?: Array<{ project: string; reason: string }>;
}

export interface StartParams extends PlanParams {
  all?: boolean;
  now?: boolean;
  wait?: boolean;
  /**
   * Push exactly these ref changes (what a dry run showed), nothing else: each with its old
   * value as a lease, so a ref that moved on the mirror since the plan is rejected, not clobbered.
   * Runs at once and answers when git has; no other parameter may be given with it.
   */
  changes?: ExactTarget[];
  /**
   * The user confirmed the mass deletions a `needsConfirmation` answer listed: push them. Without
   * it, a push that would trip the ref deletion guard is not started (see StartResult).
   */
  confirmDeletions?: boolean;
}

/** A target whose push would delete more refs than the ref deletion guard allows. */
export interface DeletionGuardHit {
  project: string;
  remote: string;
  /** The URL as shown (no user info). */
  url: string;
  /** The mirror refs the push would delete. */
  deletes: string[];
  /** How many refs the mirror holds in the destination's scope. */
  mirrorRefs: number;
}

/** One target of a dry run and the changes of it the user was shown and confirmed. */
export interface ExactTarget {
  project: string;
  remote: string;
  /** The URL as the plan showed it (credentials removed). */
  url: string;
  changes: ExactRefChange[];
}

export interface ExactRefChange {
  /** Local ref (unused for deletes). */
  ref: string;
  remoteRef: string;
  kind: 'create' | 'fast-forward' | 'force' | 'delete';
  /** Expected value on the mirror (null: must not exist). */
  oldId: string | null;
  /** The object pushed (null for deletes). */
  newId: string | null;
}

export interface ExactRefResult {
  project: string;
  remote: string;
  url: string;
  remoteRef: string;
  /** JGit-style status, e.g. OK, REJECTED_REMOTE_CHANGED ("stale info"), or NOT_ATTEMPTED. */
  status: string;
  reason?: string;
}

export interface StartResult {
  scheduled: number;
  taskIds: string[];
  /** With wait: Gerrit-style per-ref output lines. */
  output?: string[];
  /** With changes: one result per requested ref change. */
  refs?: ExactRefResult[];
  /**
   * Nothing was started: these targets would delete more refs than the guard (`guard`, in words)
   * allows. Ask the user, then send the same request with `confirmDeletions: true`.
   */
  needsConfirmation?: { guard: string; targets: DeletionGuardHit[] };
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
  /** The first failure's reason, when it differs from lastError. */
  firstError?: string;
}

export interface QueueSnapshot {
  pending: number;
  inFlight: number;
  failed: number;
  tasks: QueueTask[];
}

export interface RemoteSummary {
  name: string;
  /** The projects of the site the remote replicates (projectCount of them). */
  projects?: string[];
  /** Config file and 1-based line of the [remote] header. */
  file: string;
  line: number;
  urls: Array<{ template: string; example?: string }>;
  /** Settings whose value differs from the default, as written. */
  nonDefaults: Array<{ key: string; value: string }>;
  projectCount: number;
  /** Totals over every block of the remote. */
  errors: number;
  warnings: number;
  /** Each [remote] block (a remote may be defined more than once), with its own diagnostics. */
  blocks: Array<{ file: string; line: number; errors: number; warnings: number }>;
  /** The site's config has errors, so the plugin would not load it: nothing is matched or replicated. */
  refused?: boolean;
  /** gitolite: the remote is a copy host; the repositories it receives from this host, each with its sync mode and whether the copy may redirect users' pushes here. */
  gitolite?: { repos: Array<{ name: string; mode: 'async' | 'sync' | 'nosync'; redirectOK: boolean }> };
}

export interface ProjectSummary {
  name: string;
  remotes: string[];
}

/** A reload preview (`plan --against`): what changes when the server loads the edited config. */
export interface ReloadPreviewParams extends SiteParams {
  /**
   * What the edited config is compared with: 'saved' (the files on disk, against the editor's
   * unsaved text), 'head' (the config files at git HEAD) or a directory (a site as deployed).
   */
  against: 'saved' | 'head' | { dir: string };
  /** More unsaved text of config files, by absolute path, over the documents open in the server. */
  unsaved?: Record<string, string>;
}

/** One setting of a remote (or of the site) that differs between the two configs. */
export interface SettingChange {
  key: string;
  /** As written, lists joined with ', '; '(changed)' for credentials, never their value. */
  old: string;
  new: string;
}

export interface ReloadTarget {
  project: string;
  /** The URL as shown (no user info). */
  url: string;
}

export interface ReloadRefChange {
  project: string;
  ref: string;
  /** 'added': replicated after the reload only; 'removed': no longer; 'remapped': other remote ref or force. */
  change: 'added' | 'removed' | 'remapped';
  detail?: string;
}

export interface RemoteReloadDiff {
  remote: string;
  change: 'added' | 'removed' | 'changed';
  /** file:line of the remote's section (in the new config; the old one for a removed remote). */
  at: string;
  settings: SettingChange[];
  urlsAdded: string[];
  urlsRemoved: string[];
  /** Projects this remote starts / stops replicating. */
  projectsAdded: string[];
  projectsRemoved: string[];
  /** Targets of projects replicated before and after whose URL changes. */
  targetsAdded: ReloadTarget[];
  targetsRemoved: ReloadTarget[];
  /** Refs (of projects replicated before and after) whose replication changes with the ref rules. */
  refs: ReloadRefChange[];
  /** What the changed settings mean for the next pushes (mirror turned on, …). */
  notes: string[];
}

export interface ReloadTaskVerdict {
  /** The task file's name in the store. */
  key: string;
  state: 'waiting' | 'running';
  project: string;
  remote: string;
  url: string;
  refs: string[];
  /**
   * kept: replayed under the new config; narrowed: replayed without `droppedRefs`; dropped: the
   * new config does not run it (it would be quarantined); refused: the deployed config already
   * refuses it (the reload changes nothing for it).
   */
  verdict: 'kept' | 'narrowed' | 'dropped' | 'refused';
  reason?: string;
  droppedRefs?: string[];
}

export interface ReloadPreview {
  site: string;
  /** What was compared against: a directory, 'saved' or 'head'. */
  against: string;
  /** The new config has errors: a reload fails and the server keeps the deployed config. */
  newRefused: boolean;
  /** The deployed config has errors: nothing is replicated with it now. */
  oldRefused: boolean;
  /** Errors of whichever config was refused (file:line). */
  diagnostics: CheckDiagnostic[];
  /** Site-wide settings that differ (basePath, eventsDirectory, replicateOnStartup, …). */
  siteSettings: SettingChange[];
  remotes: RemoteReloadDiff[];
  tasks: ReloadTaskVerdict[];
  /** Files in the store that are not tasks (quarantined at the next start either way). */
  badTaskFiles: number;
  /** Nothing differs and no task is dropped. */
  unchanged: boolean;
}

export interface StatusParams extends SiteParams {
  projects?: string[];
  remotes?: string[];
}

export type Health = 'in-sync' | 'behind' | 'diverged' | 'missing-repository' | 'unreachable';

export interface StatusRef {
  /** The destination ref. */
  ref: string;
  /** What the push would do (the plan's kind) and why, for a rejected ref. */
  kind: RefChangeKind;
  reason?: string;
  localId: string | null;
  remoteId: string | null;
}

export interface TargetStatus {
  project: string;
  remote: string;
  /** The URL as shown: no user info. */
  url: string;
  /** The url template of the remote this target comes from (no user info). */
  template: string;
  health: Health;
  /** Refs that differ (behind: would be created or fast-forwarded; diverged: the rest). */
  refs: StatusRef[];
  /**
   * Behind: ISO time of the oldest unreplicated update, taken as the committer time of the
   * oldest differing source tip (a ref is at least as old as its commit).
   */
  oldestUnreplicated?: string;
  /** Unreachable or missing: git's error, redacted. */
  error?: string;
  lastAttempt?: { at: string; result: string; /** It deleted more refs than the ref deletion guard allows. */ massDeletion?: { deleted: number; mirrorRefs: number } };
  /** The next full sync would delete more refs than the ref deletion guard allows (a mass deletion). */
  overDeletionGuard?: { deletes: number; mirrorRefs: number };
  lastSuccess?: string;
  lastError?: { at: string; message: string };
}

export interface StatusResult {
  site: string;
  /** ISO time the status was taken. */
  at: string;
  targets: TargetStatus[];
  counts: Record<Health, number>;
}

export interface ExplainParams extends SiteParams {
  project: string;
  /** A full ref name (refs/…); without it, only the project rules are walked. */
  ref?: string;
  /** Only these remotes (default: all). */
  remotes?: string[];
}

export interface RuleStep {
  /** The rule, named as the config names it. */
  rule: string;
  /** 'pass': the rule lets it through; 'stop': it decides "not replicated"; 'info': no verdict. */
  outcome: 'pass' | 'stop' | 'info';
  detail: string;
}

export interface ExplainUrl {
  template: string;
  /** The expanded URL (no user info), or undefined when the template cannot be expanded. */
  url?: string;
  replicated: boolean;
  steps: RuleStep[];
  /** Other projects whose targets are the same URL (a remoteNameStyle collision). */
  collisions: string[];
}

export interface ExplainRemote {
  remote: string;
  /** The remote's section, file:line. */
  at: string;
  projectReplicated: boolean;
  refReplicated?: boolean;
  /** The remote ref the ref goes to, when replicated. */
  remoteRef?: string;
  steps: RuleStep[];
  urls: ExplainUrl[];
}

export interface ExplainResult {
  project: string;
  ref?: string;
  /** Set by the engine bridge: whether the project exists under basePath. */
  existsAtSource?: boolean;
  remotes: ExplainRemote[];
}

export interface TestConnectionParams extends SiteParams {
  remote: string;
  /** One url template of the remote (as RemoteSummary shows it); default: every url. */
  template?: string;
  /** The project whose URL is listed; default: the first project the remote replicates. */
  project?: string;
}

/** One `git ls-remote` of a target URL. */
export interface ConnectionTest {
  remote: string;
  template: string;
  /** The URL listed (no user info), or undefined when no project gives one. */
  url?: string;
  project?: string;
  ok: boolean;
  /** How many refs the mirror listed. */
  refs?: number;
  /** The mirror repository does not exist (the host answered). */
  missing?: boolean;
  /** git's error, redacted. */
  error?: string;
  durationMs: number;
}
