/**
 * fflate's streaming inflater, behind a module of its own so that zip.ts can require it when a Word file
 * arrives (fflate builds its tables at load) while esbuild still bundles only this part of fflate.
 */
export { Inflate } from 'fflate';
