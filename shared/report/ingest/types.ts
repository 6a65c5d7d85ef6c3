/** What an extractor gives back: lines of cells for the parser, or why it could not (Chinese). */
export type Extracted = { lines: string[][] } | { unreadable: string };
