/**
 * Office ids for lists that have none: the name in pinyin, e.g. 金城区教育局 → "jinchengqujiaoyuju". The id is
 * part of S3 and DynamoDB keys and of the office's page address, so it is a slug; pinyin keeps it readable to
 * the people who see it in links and file names. Same name → same id: a name already in the cycle keeps the
 * id it has; a new name whose pinyin is taken by another name (同音) gets a suffix from the name's hash, which
 * does not depend on the order of the rows.
 *
 * pinyin-pro is loaded on the first id it makes: its dictionary costs ~30 ms at load, which no other request
 * of the API should pay (it ships as a file beside the bundle, infra/constructs/handler.ts FILE_MODULES).
 */
import { createHash } from 'node:crypto';

type PinyinFn = (text: string, options: { toneType: 'none'; type: 'array'; nonZh: 'consecutive'; v: true }) => string[];
let loaded: Promise<PinyinFn> | null = null;
function pinyinOf(): Promise<PinyinFn> {
  loaded ??= import('pinyin-pro').then((m) => m.pinyin as unknown as PinyinFn);
  return loaded;
}

const MAX_BASE = 48;

/** The name's slug: pinyin syllables run together, ASCII letters and digits kept, other runs become '-'. */
export async function slugOf(name: string): Promise<string> {
  const pinyin = await pinyinOf();
  const parts = pinyin(name.normalize('NFKC'), { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  const slug = parts
    .map((p) => (/^[a-zü]+$/i.test(p) ? p.toLowerCase().replace(/ü/g, 'v') : `-${p.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-`))
    .join('')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
  return slug.slice(0, MAX_BASE).replace(/-$/, '') || 'office';
}

function hashSuffix(name: string): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 6);
}

/**
 * Assigns ids to names. `taken` maps ids already in use (the cycle's offices, ids given in the list) to their
 * names; a name found there keeps its id. Returns name → id for every name given.
 */
export async function assignIds(names: string[], taken: Map<string, string>): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (const [id, name] of taken) if (!byName.has(name)) byName.set(name, id);
  const used = new Map(taken);
  const out = new Map<string, string>();
  for (const name of [...new Set(names)].sort()) {
    const known = byName.get(name);
    if (known) {
      out.set(name, known);
      continue;
    }
    const base = await slugOf(name);
    const owner = used.get(base);
    const id = owner === undefined || owner === name ? base : `${base}-${hashSuffix(name)}`;
    used.set(id, name);
    out.set(name, id);
  }
  return out;
}
