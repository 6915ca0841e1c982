// Entry of an extraction worker thread. Plain JavaScript because a worker's entry file is loaded
// before any TypeScript loader could apply: it registers tsx, then loads the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./extract-worker.ts');
