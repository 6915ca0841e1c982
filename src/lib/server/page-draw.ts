/**
 * Draws one PDF page in a thread of its own, with a memory limit and a kill on timeout, so that
 * a hostile page can neither block the server's event loop nor take its memory: the thread is
 * terminated when the time is up (pdf.js cannot be interrupted mid-draw), and its heap is capped
 * (the native canvas is capped by the pixel limit in page-render.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PageDrawAnswer, PageDrawJob } from './page-draw-thread.ts';

export interface PageDrawLimits {
	/** The thread is terminated after this long, and the draw fails with `PageDrawTimeout`. */
	timeoutMs: number;
	/** JavaScript heap of the thread (pdf.js parsing); beyond it the thread dies, not the server. */
	maxHeapMb: number;
}

/** A draw abandoned for time: not the page's fault, so it may be tried again later. */
export class PageDrawTimeout extends Error {}

/**
 * A thread whose entry is TypeScript (tests, the ingest under tsx) registers tsx first. pdf.js is
 * imported natively before that, because through the tsx loader its 3 MB take seconds longer.
 */
const TYPESCRIPT_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
(async () => {
	await import(workerData.pdfjs);
	await import(workerData.pdfjsWorker);
	(await import(workerData.tsx)).register();
	await import(workerData.entry);
})();
`;

function threadFor(entry: string, data: Record<string, unknown>, maxHeapMb: number): Worker {
	const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32 };
	if (!entry.endsWith('.ts')) {
		return new Worker(new URL(entry), { workerData: data, resourceLimits });
	}
	const require = createRequire(import.meta.url);
	const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
	const pdfjsDir = packageDir('pdfjs-dist');
	const fileUrl = (path: string) => pathToFileURL(path).href;
	return new Worker(TYPESCRIPT_BOOTSTRAP, {
		eval: true,
		resourceLimits,
		workerData: {
			...data,
			entry,
			pdfjs: fileUrl(join(pdfjsDir, 'legacy/build/pdf.mjs')),
			pdfjsWorker: fileUrl(join(pdfjsDir, 'legacy/build/pdf.worker.mjs')),
			tsx: fileUrl(join(packageDir('tsx'), 'dist/esm/api/index.mjs'))
		}
	});
}

/** Draws a thread makes before it is replaced, so that whatever pdf.js leaks stays bounded. */
const DRAWS_PER_THREAD = 50;
/** An idle thread (pdf.js loaded: tens of MB) is ended after this long without work. */
const IDLE_THREAD_MS = 60_000;

interface DrawThread {
	worker: Worker;
	maxHeapMb: number;
	draws: number;
	idleTimer?: ReturnType<typeof setTimeout>;
}

/** Threads waiting for work, each with pdf.js loaded: the next draw skips that cost. */
const idleThreads: DrawThread[] = [];

async function startThread(maxHeapMb: number): Promise<DrawThread> {
	// Imported for its URL: in the built server it is a chunk of its own that a thread can load.
	const { PAGE_DRAW_THREAD_KEY, PAGE_DRAW_THREAD_URL } = await import('./page-draw-thread.ts');
	const worker = threadFor(PAGE_DRAW_THREAD_URL, { [PAGE_DRAW_THREAD_KEY]: true }, maxHeapMb);
	return { worker, maxHeapMb, draws: 0 };
}

function park(thread: DrawThread): void {
	thread.worker.unref();
	thread.idleTimer = setTimeout(() => {
		idleThreads.splice(idleThreads.indexOf(thread), 1);
		void thread.worker.terminate();
	}, IDLE_THREAD_MS);
	thread.idleTimer.unref();
	idleThreads.push(thread);
}

/** Sends one job to `worker` and waits for its answer, the time limit, or the thread's death. */
function runJob(worker: Worker, job: PageDrawJob, limits: PageDrawLimits): Promise<PageDrawAnswer> {
	return new Promise<PageDrawAnswer>((resolve, reject) => {
		const onMessage = (answer: PageDrawAnswer) => settle(() => resolve(answer));
		const onError = (error: Error & { code?: string }) =>
			settle(() =>
				reject(
					new Error(
						error.code === 'ERR_WORKER_OUT_OF_MEMORY'
							? `needs more than ${limits.maxHeapMb} MB of memory`
							: error.message
					)
				)
			);
		const onExit = (code: number) =>
			settle(() => reject(new Error(`drawing stopped (exit code ${code})`)));
		const timer = setTimeout(
			() =>
				settle(() => reject(new PageDrawTimeout(`not drawn within ${limits.timeoutMs / 1000} s`))),
			limits.timeoutMs
		);
		function settle(finish: () => void) {
			clearTimeout(timer);
			worker.off('message', onMessage).off('error', onError).off('exit', onExit);
			finish();
		}
		worker.on('message', onMessage).on('error', onError).on('exit', onExit);
		worker.postMessage(job);
	});
}

/**
 * Draws page `job.pageNumber` of the PDF at `job.pdfPath` into `job.target` in a drawing thread.
 * Rejects with `PageDrawTimeout` when the time runs out (the thread is killed), else with an
 * `Error` saying why the page was not drawn.
 */
export async function drawPageInThread(job: PageDrawJob, limits: PageDrawLimits): Promise<void> {
	const idle = idleThreads.findLastIndex((thread) => thread.maxHeapMb === limits.maxHeapMb);
	const thread = idle >= 0 ? idleThreads.splice(idle, 1)[0] : await startThread(limits.maxHeapMb);
	clearTimeout(thread.idleTimer);
	thread.worker.ref();
	let answer: PageDrawAnswer;
	try {
		answer = await runJob(thread.worker, job, limits);
	} catch (error) {
		void thread.worker.terminate();
		throw error;
	}
	if (++thread.draws < DRAWS_PER_THREAD) park(thread);
	else void thread.worker.terminate();
	if (!answer.ok) throw new Error(answer.reason);
}
