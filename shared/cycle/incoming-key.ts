/**
 * The key of an uploaded object names its year, office and upload: incoming/{year}/{officeId}/{uploadId}{ext},
 * every part chosen or validated by the server. The upload id is a UUIDv7 (time-ordered: see upload-id.ts);
 * any UUID-shaped id is accepted.
 */
export const INCOMING_KEY = /^incoming\/(\d{4})\/([a-z0-9-]{1,64})\/([0-9a-f-]{36})(\.[a-z0-9]{1,5})?$/;

export function parseIncomingKey(key: string): { year: number; officeId: string; uploadId: string; ext: string } | null {
  const m = INCOMING_KEY.exec(key);
  return m ? { year: Number(m[1]), officeId: m[2], uploadId: m[3], ext: m[4] ?? '' } : null;
}
