/** Domain errors carry a Chinese message for the user and a kind the adapters map to HTTP statuses. */
export type CycleErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large';

export const HTTP_STATUS: Record<CycleErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
};

export class CycleError extends Error {
  constructor(
    readonly kind: CycleErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'CycleError';
  }
}

export const invalid = (message: string) => new CycleError('invalid', message);
export const notFound = (message: string) => new CycleError('not_found', message);

/** First zod issue as a Chinese sentence, with the path when there is one. */
export function zodMessage(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('；');
}
