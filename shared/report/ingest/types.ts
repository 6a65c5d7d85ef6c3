import type { Location } from '../model';
/** What an extractor gives back: lines of cells for the parser, or why it could not (Chinese). */
export type Extracted =
  | {
      lines: string[][];
      /** Where each line is in the document (PDF page and line, DOCX/HTML table row or paragraph). */
      where?: Location[];
      /** The title the file carries in its metadata. */
      documentTitle?: string;
    }
  | { unreadable: string };
