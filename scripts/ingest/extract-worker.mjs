// Entry of an extraction worker thread. Plain JavaScript because a worker's entry file is loaded
// before any TypeScript loader could apply: it registers tsx, then loads the TypeScript worker.
// pdf.js is imported first, natively: through the tsx loader its 3 MB of JavaScript take
// seconds longer to load, and the module cache then serves it to the TypeScript code as is.
import 'pdfjs-dist/legacy/build/pdf.mjs';
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';
import { register } from 'tsx/esm/api';

register();
await import('./extract-worker.ts');
