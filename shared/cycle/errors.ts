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

/** What each input field is called where people read it (the cycle settings, an office of a list). */
const FIELD_NAMES: Record<string, string> = {
  year: '年度',
  groups: '分组',
  coordinatorEmails: '政务公开办邮箱',
  autoPublish: '通过后自动公开',
  listUnpublished: '列出尚未公开的单位',
  issuer: '政务公开办名称',
  contactPerson: '联系人',
  contactPhone: '联系电话',
  id: '编号',
  name: '名称',
  group: '分组',
  deadline: '截止时间',
  reminders: '提醒设置',
  daysBefore: '截止前提醒天数',
  daysAfter: '逾期后提醒天数',
  emails: '邮箱',
  contact: '联系人',
  phone: '电话',
};

/** What a list's item is called: 第2个分组, 第1个邮箱. */
const ITEM_NAMES: Record<string, string> = { groups: '分组', coordinatorEmails: '政务公开办邮箱', emails: '邮箱', daysBefore: '截止前提醒天数', daysAfter: '逾期后提醒天数' };

/**
 * A schema path in words: ['groups', 0, 'deadline'] → 第1个分组的截止时间. Users never see `groups.0.deadline`;
 * an unknown key is left out rather than shown.
 */
export function fieldName(path: readonly PropertyKey[]): string {
  const words: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = String(path[i]);
    const next = path[i + 1];
    if (typeof next === 'number' && ITEM_NAMES[key]) {
      words.push(`第${next + 1}个${ITEM_NAMES[key]}`);
      i++;
    } else if (FIELD_NAMES[key]) words.push(FIELD_NAMES[key]);
  }
  return words.join('的');
}

/** The first zod issues as Chinese sentences, each naming its field in words (never a schema path). */
export function zodMessage(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return [
    ...new Set(
      error.issues.slice(0, 5).map((i) => {
        const field = fieldName(i.path);
        return field ? `${field}：${i.message}` : i.message;
      }),
    ),
  ].join('；');
}
