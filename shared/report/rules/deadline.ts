/** DL-01: received after the office's deadline (instants compared; shown in Asia/Shanghai). */
import { finding, type Finding } from '../model';
import type { ValidationContext } from './context';

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // UTC+8, no DST

/** "2022年1月31日 23:59:59" in Asia/Shanghai. */
export function shanghaiTime(ms: number): string {
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export function dl01(ctx: ValidationContext): Finding[] {
  if (!ctx.deadline || !ctx.receivedAt) return [];
  const deadline = Date.parse(ctx.deadline);
  const received = Date.parse(ctx.receivedAt);
  if (Number.isNaN(deadline) || Number.isNaN(received) || received <= deadline) return [];
  return [
    finding({
      rule: 'DL-01',
      severity: 'warning',
      message: `报告于${shanghaiTime(received)}（北京时间）收到，晚于截止时间${shanghaiTime(deadline)}。`,
    }),
  ];
}
