// Entry of an extraction worker thread. Plain JavaScript because a worker's entry file is loaded
// before any TypeScript loader could apply: it registers tsx, then loads the TypeScript worker.
// pdf.js is loaded first, natively: through the tsx loader its 3 MB of JavaScript take
// seconds longer to load, and the module cache then serves it to the TypeScript code as is.
import { register } from 'tsx/esm/api';
import { importPdfjs } from '../../src/lib/server/pdfjs-node.js';
import { useZlibDecompression } from './zlib-decompression.mjs';

useZlibDecompression();
await importPdfjs();
register();
await import('./extract-worker.ts');
