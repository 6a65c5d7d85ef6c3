/**
 * GET /cycles/{year}/offices/{officeId} also returns the tables the system read from the latest submission
 * (the office page's 系统读取的表格): from the parsed JSON that process-submission stored, tables only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { route } from '../../functions/api/router';
import { defaultChecker } from '../../shared/cycle/checker';
import { processSubmission } from '../../shared/cycle/processing';
import { issueOfficeToken } from '../../shared/cycle/service';
import { seeded, upload } from '../cycle/helpers';
import { apiEvent } from './api-events';

const CLEAN = readFileSync(join(__dirname, '../../fixtures/clean-2021.txt'), 'utf8');

const get = (path: string, token: string) => apiEvent('GET', path, { token });

test('the latest submission\'s tables, and null before any or when the parsed JSON cannot be read', async () => {
  const logs: string[] = [];
  const w = await seeded({ checker: defaultChecker, log: (_level, message) => void logs.push(message) });
  const { token } = await issueOfficeToken(w.deps, 2026, 'jincheng');
  const status = async () => {
    const r = await route(w.deps, get('/cycles/2026/offices/jincheng', token));
    expect(r.statusCode).toBe(200);
    return JSON.parse(String(r.body));
  };
  expect((await status()).tables).toBeNull();

  await processSubmission(w.deps, upload(w, 'jincheng', CLEAN.replace('行政规范性文件 | 3 | 1 | 12', '行政规范性文件 | 3 | 1 | ')));
  const body = await status();
  expect(body.submissions).toHaveLength(1);
  expect(Object.keys(body.tables).sort()).toEqual(['formatVersion', 'submissionId', 'table2', 'table3', 'table4', 'year']);
  expect(body.tables).toMatchObject({ submissionId: body.submissions[0].id, formatVersion: '2021', year: 2022 });
  expect(body.tables.table2['行政规范性文件']['现行有效件数']).toEqual({ raw: '', kind: 'blank', value: null });
  expect(body.tables.table3['（七）总计']['总计']).toMatchObject({ kind: 'number', value: 64 });

  // The parsed JSON is not reachable (e.g. no read access): the page still gets everything else.
  w.archive.get = async () => {
    throw new Error('AccessDenied');
  };
  const degraded = await status();
  expect(degraded.tables).toBeNull();
  expect(degraded.submissions).toHaveLength(1);
  expect(logs).toContain('parsed report not available for the tables view');
});
