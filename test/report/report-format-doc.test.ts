/** docs/report-format.md lists every rule id with the catalog's severity and title, and nothing else. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_RULES } from '../../shared/cycle/checker';
import { CATALOG, RULE_IDS } from '../../shared/report/rules';
import { LIMIT_RULE } from '../../shared/report/validate';

const doc = readFileSync(join(__dirname, '../../docs/report-format.md'), 'utf8');

test('the rule table is the catalog: every id once, its severity and its Chinese title', () => {
  const table = doc.slice(doc.indexOf('<!-- rules:begin'), doc.indexOf('<!-- rules:end -->'));
  const rows = [...table.matchAll(/^\| `([A-Z0-9-]+)` \| (error|warning) \| (.+) \| (.+) \|$/gm)].map(([, id, severity, , title]) => ({ id, severity, title }));
  expect(rows).toEqual(RULE_IDS.map((id) => ({ id, severity: CATALOG[id].severity, title: CATALOG[id].title })));
});

test('the findings from outside the catalog are listed too', () => {
  for (const id of [...Object.values(FILE_RULES), LIMIT_RULE]) expect(doc).toMatch(new RegExp(`^\\| \`${id}\` \\|`, 'm'));
});
