/**
 * 导入单位名单: the 政务公开办 picks the list it has (.xlsx from Excel/WPS, or a CSV in UTF-8 or GBK), sees what
 * importing it would do row by row (新增 / 更新 / 无变化 / 错误, in Chinese), then imports it. The file goes
 * as base64 in JSON, so its bytes arrive exactly whatever its encoding; 导入 stays disabled while a row has
 * an error (the server refuses such a list whole anyway).
 */
import type { OfficeListPreview } from '../../shared/cycle/office-list';
import type { Board } from './board';
import { $, api, clear, h, say, show } from './common';

let file: { name: string; base64: string } | null = null;

const dialog = () => $('import-dialog') as HTMLDialogElement;
const msg = () => $('import-msg');

/** Bytes → base64, in chunks (a spread of a large array would overflow the call stack). */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function renderPreview(p: OfficeListPreview): void {
  const body = $('import-rows');
  clear(body);
  for (const r of p.rows) {
    body.append(
      h(
        'tr',
        { class: r.status === 'error' ? 'row-error' : '', attrs: { 'data-status': r.status } },
        h('td', { attrs: { 'data-label': '行' }, text: String(r.line) }),
        h('td', { attrs: { 'data-label': '状态' }, text: r.statusLabel }),
        h('td', { attrs: { 'data-label': '单位' }, text: r.name }),
        h('td', { attrs: { 'data-label': '编号' }, text: `${r.id ?? ''}${r.generatedId ? '（自动生成）' : ''}` }),
        h('td', { attrs: { 'data-label': '分组' }, text: r.groupName ?? '' }),
        h('td', { attrs: { 'data-label': '说明' }, text: r.messages.join('；') }),
      ),
    );
  }
  show($('import-preview'), p.rows.length > 0);
  const kept = p.notInList.length ? `；名单中没有的 ${p.notInList.length} 家单位保持不变（${p.notInList.map((o) => o.name).join('、')}）` : '';
  if (p.fileError) say(msg(), p.fileError, 'error');
  else say(msg(), `${p.summary}${kept}。${p.canApply ? '确认无误后点击“导入”。' : '请修改标红的行后重新选择文件。'}`, p.canApply ? 'info' : 'error');
  ($('import-apply') as HTMLButtonElement).disabled = !p.canApply;
}

async function preview(board: Board, picked: File): Promise<void> {
  ($('import-apply') as HTMLButtonElement).disabled = true;
  show($('import-preview'), false);
  say(msg(), '正在读取名单……');
  file = { name: picked.name, base64: base64(new Uint8Array(await picked.arrayBuffer())) };
  try {
    renderPreview(await api<OfficeListPreview>('POST', `/cycles/${board.year}/offices/preview`, board.token, { contentBase64: file.base64, fileName: file.name }));
  } catch (e) {
    say(msg(), (e as Error).message, 'error');
  }
}

async function apply(board: Board): Promise<void> {
  if (!file) return;
  const button = $('import-apply') as HTMLButtonElement;
  button.disabled = true;
  try {
    const r = await api<OfficeListPreview & { created: string[]; updated: string[] }>('POST', `/cycles/${board.year}/offices`, board.token, { contentBase64: file.base64, fileName: file.name });
    dialog().close();
    await board.refresh();
    board.say(`已导入单位名单：新增 ${r.created.length} 家，更新 ${r.updated.length} 家。新增的单位需要“邀请”后才能登录报送。`, 'ok');
  } catch (e) {
    say(msg(), (e as Error).message, 'error');
  }
}

export function initOfficesImport(board: Board): void {
  $('import-open').addEventListener('click', () => {
    file = null;
    ($('import-file') as HTMLInputElement).value = '';
    ($('import-apply') as HTMLButtonElement).disabled = true;
    show($('import-preview'), false);
    say(msg(), '');
    dialog().showModal();
  });
  // The same file chosen again after it was corrected in Excel is read again (no change event otherwise).
  $('import-file').addEventListener('click', () => (($('import-file') as HTMLInputElement).value = ''));
  $('import-file').addEventListener('change', () => {
    const picked = ($('import-file') as HTMLInputElement).files?.[0];
    if (picked) void preview(board, picked);
  });
  $('import-apply').addEventListener('click', () => void apply(board));
  $('import-close').addEventListener('click', () => dialog().close());
}
