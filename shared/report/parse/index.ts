export { decodeText, type Decoded } from './decode';
export { parseLines, type Incomplete, type Locations, type ParseOptions, type ParseResult } from './document';
export { textToLines, parseText } from './text';
export { labelKey, toSimplified } from './normalize';
