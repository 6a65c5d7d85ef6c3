import { readFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import type { Report, Table } from '../../shared/report/model';

export const FORMATS = path.join(__dirname, '../../fixtures/formats');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(FORMATS, name)));
export const OFFICE = '青禾区人民政府办公室';
export const CTX = { year: 2021, office: OFFICE };

/** row → column → value: what the rules see, without the raw spelling. */
export function values(t: Table | null): Record<string, Record<string, number | null>> | null {
  if (!t) return null;
  return Object.fromEntries(Object.entries(t).map(([r, cells]) => [r, Object.fromEntries(Object.entries(cells).map(([c, cell]) => [c, cell.value]))]));
}

export function expectedReport(name: string): Report {
  return JSON.parse(readFileSync(path.join(FORMATS, name), 'utf8')) as Report;
}

/** A PDF drawn with pdfkit (hostile and font-kind cases the LibreOffice fixtures do not cover). */
export function pdfkitPdf(options: PDFKit.PDFDocumentOptions, draw: (doc: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument(options);
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
    draw(doc);
    doc.end();
  });
}
