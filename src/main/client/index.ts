/** The typed Node client library of Multisession: connect to a data dir and call the contract. */
export { connect, type AppInfo, type ConnectOptions } from './connect';
export type { MultisessionClient } from './multisession-client';
export type { TypedApi, NamespaceMethods, RequestMethod, RequestNamespace } from './typed-api';
export { resolveDataDir } from './data-dir';
export {
  batchExecute,
  createParallelSessions,
  runBatch,
  systemStatus,
  type ParallelCreateResult,
  type SessionCommand,
  type SessionCommandResult,
  type SessionSpec,
} from './skill-operations';
