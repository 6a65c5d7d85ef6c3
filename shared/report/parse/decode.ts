/**
 * Bytes → text. Reports arrive in UTF-8, GB18030/GBK (most Chinese Windows tools) or UTF-16 (Word's
 * "save as text"), with or without a BOM. Decoding never throws: unreadable input gets a Chinese message.
 */

export type Decoded = { text: string; encoding: 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be' } | { error: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node's built-in WHATWG decoders (ICU) rather than iconv-lite: same text for these encodings, and
 * iconv-lite's tables were ~480 KB of every Lambda bundle that reads reports (bench/README.md, cold start).
 */
const decoders = new Map<string, TextDecoder>();
export function decodeAs(bytes: Uint8Array, encoding: string): string {
  let d = decoders.get(encoding);
  if (!d) decoders.set(encoding, (d = new TextDecoder(encoding)));
  return d.decode(bytes);
}

/** Share of characters that are neither text nor common whitespace: binary files score high. */
function controlShare(text: string): number {
  if (text.length === 0) return 0;
  let bad = 0;
  const n = Math.min(text.length, 64 * 1024);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0xfffd || c === 0x7f) bad++;
  }
  return bad / n;
}

/** UTF-16 without BOM: one of every two bytes is zero for the ASCII part of the text. */
function sniffUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const n = Math.min(bytes.length - (bytes.length % 2), 4096);
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  // CJK text has zero bytes on the other side too (U+3000, U+4E00 …), so compare rather than demand none.
  if (oddZero / pairs > 0.2 && oddZero > 1.5 * evenZero) return 'utf-16le';
  if (evenZero / pairs > 0.2 && evenZero > 1.5 * oddZero) return 'utf-16be';
  return null;
}

function checked(text: string, encoding: Extract<Decoded, { text: string }>['encoding']): Decoded {
  if (controlShare(text) > 0.01) {
    return { error: '文件内容不是可识别的文本（可能是二进制文件或已损坏），请上传 Word（.docx）、PDF、网页或文本格式的年度报告。' };
  }
  return { text: text.replace(/\r\n?/g, '\n'), encoding };
}

export function decodeText(bytes: Uint8Array): Decoded {
  if (bytes.length === 0) return { error: '文件为空，请重新上传完整的年度报告。' };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3)) ?? { error: '文件声明为 UTF-8 编码，但内容不是有效的 UTF-8 文本，请另存为 UTF-8 后重新上传。' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return checked(decodeAs(bytes.subarray(2), 'utf-16le'), 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return checked(decodeAs(bytes.subarray(2), 'utf-16be'), 'utf-16be');
  const wide = sniffUtf16(bytes);
  if (wide) return checked(decodeAs(bytes, wide), wide);
  const asUtf8 = decodeUtf8(bytes);
  if (asUtf8) return asUtf8;
  // Not UTF-8: GB18030 is a superset of GBK and GB2312, the encodings of Chinese Windows.
  return checked(decodeAs(bytes, 'gb18030'), 'gb18030');
}

function decodeUtf8(bytes: Uint8Array): Decoded | null {
  // A file cut inside its last character is still UTF-8: drop the partial character.
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    try {
      return checked(utf8.decode(bytes.subarray(0, bytes.length - cut)), 'utf-8');
    } catch {
      if (bytes.length - cut > 0 && bytes[bytes.length - cut - 1] < 0x80) return null;
    }
  }
  return null;
}
