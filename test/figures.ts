/**
 * Figures for docs/RELIABILITY.md, recorded by the tests that produce them: with NIANBAO_FIGURES_FILE set,
 * each call appends one JSON line { name, ...data } to that file; otherwise it does nothing.
 */
import { appendFileSync } from 'node:fs';

export function figure(name: string, data: Record<string, unknown>): void {
  const file = process.env.NIANBAO_FIGURES_FILE;
  if (file) appendFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), ...data }) + '\n');
}
