/**
 * zod/mini ships no locale: without one every default message is "Invalid input". Default messages reach
 * users (officials) where a schema has no message of its own, so they are Chinese. Imported for its side
 * effect by every module that declares schemas; a named import so esbuild keeps only this locale.
 */
import { config } from 'zod/mini';
import { zhCN } from 'zod/v4/locales';

config(zhCN());
