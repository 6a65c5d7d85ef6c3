/**
 * The use cases of the coordinator and the offices, one module each under ./use-cases/, in one import for
 * the handlers and the CLI. Processing an upload is ./processing.ts; reminders ./reminders.ts; the archive
 * ./archive.ts.
 */
export * from './lookup';
export * from './incoming-key';
export * from './use-cases/authenticate';
export * from './use-cases/create-cycle';
export * from './use-cases/import-offices';
export * from './use-cases/issue-token';
export * from './use-cases/request-upload';
export * from './use-cases/office-status';
export * from './use-cases/publish-office';
export * from './use-cases/return-office';
export * from './use-cases/dry-run';
export * from './use-cases/withdraw-office';
