#!/usr/bin/env node
/**
 * Our change to PDF.js, applied once at install (`npm ci` runs it as `postinstall`) to the PDF.js that
 * unpdf 1.7.0 bundles (node_modules/unpdf/dist/pdfjs.mjs). Why: docs/reading-reports.md, "The PDF
 * worker"; measured in bench/results/fixes.md item 3 (about 4× less CPU per PDF).
 *
 * The module is minified, so a line diff (patch-package) would be ~0.9 MB of minified lines; these
 * replacements are the whole change. Each must match exactly once or the install fails: unpdf is pinned
 * exactly in package.json, and a new version needs the patterns checked again.
 *
 * Every change is inert until the PDF worker installs its hook (`globalThis.__nianbaoPdfFont`,
 * shared/report/ingest/pdf-worker-source.ts): without it PDF.js runs exactly as shipped, which is the
 * reference test/ingest/pdf-worker.test.ts compares the worker's pages with.
 */
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const VERSION = '1.7.0';
const MARKER = '/* nianbao: patches/unpdf-pdfjs.cjs */';

const PATCHES = [
  {
    // PartialEvaluator#translateFont: "return this.extractWidths(dict, descriptor, props), new Font(name, file,
    // props, options)". The hook decides whether the font needs its embedded program: not when its
    // dictionary alone gives the text (a ToUnicode map and complete widths).
    name: 'fontPrograms: the Font is built by the hook',
    find: /this\.extractWidths\((\w+),(\w+),(\w+)\),new (\w+)\((\w+)\.name,(\w+),\3,this\.options\)/,
    replace:
      'this.extractWidths($1,$2,$3),globalThis.__nianbaoPdfFont?globalThis.__nianbaoPdfFont($4,$5.name,$6,$3,this.options):new $4($5.name,$6,$3,this.options)',
  },
  {
    // Font#_charToGlyph: PDF.js turns codes the standard encoding leaves unnamed into spaces for Type 1 fonts
    // without a program; a font whose program was left out on purpose keeps its ToUnicode text.
    name: 'fontPrograms: no missing-file rule for fonts left without their program',
    find: /if\((\w+)=this\.toFontChar\[(\w+)\]\|\|\2,this\.missingFile\)\{/,
    replace: 'if($1=this.toFontChar[$2]||$2,this.missingFile&&!this.nianbaoNoProgram){',
  },
  {
    // PartialEvaluator#translateFont: "if (fontFile.isAsync) { bytes = await fontFile.asyncGetBytes() … } if
    // (fontFile.isEmpty) throw …" inflates every embedded program up front (most of a WPS PDF's bytes),
    // before it is known whether the text needs it. With the hook the file stays lazy, and the hook makes
    // the emptiness check when a program is used.
    name: 'fontPrograms: programs are not inflated up front',
    find: /if\((\w+)\.isAsync\)\{const (\w+)=await \1\.asyncGetBytes\(\);\2&&\(\1=new \w+\(\2,0,\2\.length,\1\.dict\)\)\}if\(\1\.isEmpty\)throw new \w+\("FontFile is empty"\)/,
    replace: 'if(!globalThis.__nianbaoPdfFont){$&}',
  },
  {
    // PartialEvaluator#handleText: the glyphs of a text operator, for drawing. The worker reads the operator
    // list for its ruling lines only, so a font read without its program gives none (nothing to copy across).
    name: 'opListNoGlyphs',
    find: /handleText\((\w+),(\w+)\)\{const (\w+)=\2\.font,/,
    replace: 'handleText($1,$2){const $3=$2.font;if($3.nianbaoNoProgram)return[];const ',
  },
  {
    // Font#fallbackToSystemFont, last branch: maps every code of the ToUnicode to a glyph of a system font,
    // which only drawing uses; a font read without its program skips it.
    name: 'noProgramGlyphMap',
    find: /(fallbackToSystemFont\((\w+)\)\{[^]*?)\}else\{const (\w+)=(\w+)\(\),(\w+)=\[\];this\.toUnicode\.forEach\(/,
    replace: '$1}else if($2.nianbaoNoProgram){this.toFontChar=[]}else{const $3=$4(),$5=[];this.toUnicode.forEach(',
  },
  {
    // PartialEvaluator#readToUnicode copies the parsed ToUnicode CMap into an array indexed by char code:
    // "const map = new Array(cmap.length); cmap.forEach((code, unicode) => { map[code] = … })". A WPS font
    // subset maps a few hundred codes spread up to ~0x6000, so that was a loop over every code in between
    // (CMap#forEach tests each one) and a new array of that length, ~1.5 ms per font. With the hook only
    // the codes the CMap holds are visited and the array grows to the same length: same entries, same length.
    name: 'toUnicode: only the mapped codes are copied',
    find: /const (\w+)=new Array\((\w+)\.length\);return \2\.forEach\(function\((\w+),(\w+)\)\{/,
    replace:
      'const $1=globalThis.__nianbaoPdfFont&&$2.length<=65536?[]:new Array($2.length);return($1.length===$2.length?(f)=>$2.forEach(f):(f)=>{const m=$2.getMap();for(const k in m){const v=m[k];v!==void 0&&f(+k,v)}$1.length=m.length})(function($3,$4){',
  },
  {
    // LoopbackPort#postMessage, the "fake worker" that runs PDF.js's two sides in one thread: every message
    // (≈90 chunks of text items and operator-list arguments per report) went through structuredClone.
    // The worker's hook copies plain data in JS instead (pdf-worker-source.ts, copyMessage).
    name: 'messages: copied by the hook',
    find: /postMessage\((\w+),(\w+)\)\{const (\w+)=\{data:structuredClone\(\1,\2\?\{transfer:\2\}:null\)\};/,
    replace: 'postMessage($1,$2){const $3={data:(globalThis.__nianbaoPdfCopy??structuredClone)($1,$2?{transfer:$2}:null)};',
  },
  {
    // PartialEvaluator#getOperatorList and #getTextContent each lex a page's content stream with their own
    // EvaluatorPreprocessor; these are the only two places one is made. The hook sees each new preprocessor
    // and may arm it to record what it reads (text pass) or to replay a record (operator-list pass).
    name: 'operators: the operator list\'s preprocessor goes through the hook',
    find: /(\w+)=new (\w+)\((\w+),(\w+),(\w+)\),(\w+)=new (\w+);function (\w+)\((\w+)\)\{for\(let (\w+)=0,(\w+)=\1\.savedStatesDepth/,
    replace:
      '$1=globalThis.__nianbaoPdfOps?globalThis.__nianbaoPdfOps(new $2($3,$4,$5)):new $2($3,$4,$5),$6=new $7;function $8($9){for(let $10=0,$11=$1.savedStatesDepth',
  },
  {
    name: 'operators: the text pass\'s preprocessor goes through the hook',
    find: /(\w+)=new (\w+)\((\w+),(\w+),(\w+)\);let (\w+),(\w+);function (\w+)\(\{width:/,
    replace: '$1=globalThis.__nianbaoPdfOps?globalThis.__nianbaoPdfOps(new $2($3,$4,$5)):new $2($3,$4,$5);let $6,$7;function $8({width:',
  },
  {
    // EvaluatorPreprocessor#read: a preprocessor armed to replay hands out the recorded operators instead of
    // lexing; one armed to record keeps a copy of each operator's arguments (the text pass reuses its array)
    // and notes whether it read the stream to its end.
    name: 'operators: read replays',
    find: /read\((\w+)\)\{let (\w+)=\1\.args;for\(;;\)\{/,
    replace: 'read($1){if(this.nianbaoReplay)return this.nianbaoReplay($1);let $2=$1.args;for(;;){',
  },
  {
    name: 'operators: read records',
    find: /return this\.preprocessCommand\((\w+),(\w+)\),(\w+)\.fn=\1,\3\.args=\2,!0\}if\((\w+)===(\w+)\)return!1;/,
    replace:
      'return this.preprocessCommand($1,$2),$3.fn=$1,$3.args=$2,this.nianbaoRecord?.push($1,$2===null||$2.length===0?null:$2.slice()),!0}if($4===$5)return this.nianbaoRecord&&(this.nianbaoRecord.complete=!0),!1;',
  },
  {
    // TextState#clone: Object.assign(Object.create(this), this) made every saved text state the prototype of
    // its copy (slow V8 prototype maps on each q / BT); the copy already has every field.
    name: 'textStateClone',
    find: /clone\(\)\{const (\w+)=Object\.assign\(Object\.create\(this\),this\);return \1\.textMatrix=/,
    replace: 'clone(){const $1=Object.assign(Object.create(globalThis.__nianbaoPdfFont?Object.getPrototypeOf(this):this),this);return $1.textMatrix=',
  },
  {
    // EvalState#clone (the operator list's graphics state, cloned at every q): "const copy = Object.create(this)"
    // made each saved state the prototype of the next, as TextState#clone did, and the V8 maps of these chains
    // kept the evaluator's loops recompiling (~5 ms CPU per WPS report). With the hook the copy has every field
    // the original shows, as its own, and the class's prototype.
    name: 'evalStateClone',
    find: /clone\(\{newPath:(\w+)=!1\}=\{\}\)\{const (\w+)=Object\.create\(this\);/,
    replace:
      'clone({newPath:$1=!1}={}){const $2=globalThis.__nianbaoPdfFont?Object.create(Object.getPrototypeOf(this)):Object.create(this);if(globalThis.__nianbaoPdfFont)for(const k in this)$2[k]=this[k];',
  },
];

/** Patches the module in place, all or nothing; a module that carries the marker is left as it is. */
function patchFile(file) {
  let src = readFileSync(file, 'utf8');
  if (src.endsWith(`${MARKER}\n`)) return;
  for (const { name, find, replace } of PATCHES) {
    const hits = src.match(new RegExp(find.source, 'g'))?.length ?? 0;
    if (hits !== 1) throw new Error(`PDF.js patch "${name}": the pattern matches ${hits} times, not once`);
    src = src.replace(find, replace);
  }
  writeFileSync(file, `${src}\n${MARKER}\n`);
}

if (require.main === module) {
  const dist = dirname(require.resolve('unpdf')); // where shared/report/ingest/pdf.ts finds pdfjs.mjs
  const { version } = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8'));
  if (version !== VERSION) throw new Error(`patches/unpdf-pdfjs.cjs is written for unpdf ${VERSION}, found ${version}`);
  patchFile(join(dist, 'pdfjs.mjs'));
}
module.exports = { MARKER, VERSION, patchFile };
