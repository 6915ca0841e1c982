/**
 * The extraction worker, run from its prebuilt bundle (worker-bundle.ts) or through tsx
 * (extract-worker.mjs): says `{ ready: true }` once loaded, then receives `{ id, path, options }`
 * jobs from `extractAll` (extract-pool.ts), says `{ id, page }` as it starts each page and answers `{ id, result }`.
 * One job at a time, so a crash or a hang costs only the file being read.
 */
import { parentPort } from 'node:worker_threads';
import { loadPdfjs } from '../../src/lib/server/page-render.ts';
import { extractPdf, type ExtractOptions, type ExtractResult } from './extract.ts';
import { useZlibDecompression } from './zlib-decompression.mjs';

export interface WorkerJob {
	id: number;
	path: string;
	options: ExtractOptions;
}

export interface WorkerAnswer {
	id: number;
	result: ExtractResult;
}

/** Sent before each page is read: a thread that then never answers is killed naming the page. */
export interface WorkerProgress {
	id: number;
	page: number;
}

if (!parentPort) throw new Error('scripts/ingest/extract-worker.ts: must run in a worker thread');
// Before pdf.js is loaded (this module is also the entry of the prebuilt bundle, worker-bundle.ts).
useZlibDecompression();
const port = parentPort;
port.on('message', async (job: WorkerJob) => {
	const result = await extractPdf(job.path, {
		...job.options,
		onPage: (page) => port.postMessage({ id: job.id, page } satisfies WorkerProgress)
	});
	port.postMessage({ id: job.id, result } satisfies WorkerAnswer);
});
await loadPdfjs();
port.postMessage({ ready: true });
