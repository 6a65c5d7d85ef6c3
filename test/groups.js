/**
 * The three test groups, by folder and, where a folder is split, by file. test/tooling/test-groups.test.ts
 * asks jest itself which files each group runs and fails if a test file is in none or in two.
 * - unit: the domain, the text/HTML/DOCX readers and the HTML/e-mail renderers, inside the jest process:
 *   no child process, no Java, no emulators, no browser, no long runs — the feedback loop while editing.
 * - integration: real services and programs — DynamoDB Local, s3rver, the SES emulator and the local
 *   runtime; the CLI as a child process; PDF.js on real PDFs; poppler and LibreOffice reading back the
 *   PDFs and .docx files we write; the synthesized CDK template with its esbuild bundles — and the long
 *   runs (property tests, hostile inputs, the seeded fuzz run).
 * - e2e: whole cycles through the local runtime, the pages in headless Chromium.
 */
const OUT_OF_UNIT = [
  'test/aggregate/cli.test.ts',
  'test/aggregate/docx.test.ts',
  'test/aggregate/pdf.test.ts',
  'test/functions/at-least-once-dynamo.test.ts',
  'test/functions/dynamo-repository.test.ts',
  'test/ingest/formats.test.ts',
  'test/ingest/hostile.test.ts',
  'test/ingest/pdf-worker.test.ts',
  'test/render/cli-render.test.ts',
  'test/render/pdf-font.test.ts',
  'test/render/pdf.test.ts',
  'test/render/receipt-pdf.test.ts',
  'test/render/status-report-pdf.test.ts',
  'test/report/property-layouts.test.ts',
  'test/report/property.test.ts',
];

module.exports = {
  unit: {
    folders: ['aggregate', 'cycle', 'functions', 'ingest', 'render', 'report', 'tooling'],
    except: OUT_OF_UNIT,
  },
  integration: { folders: ['cli', 'fuzz', 'infra', 'integration', 'local'], files: OUT_OF_UNIT },
  e2e: { folders: ['e2e'] },
};
