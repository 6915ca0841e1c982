/**
 * The extraction worker pool: many PDFs read in worker threads (extract-worker.ts), one file at
 * a time per worker, so that a file which crashes or hangs its worker fails alone.
 */
import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import {
	DEFAULT_TIMEOUT_MS,
	timedOut,
	type ExtractOptions,
	type ExtractResult
} from './extract.ts';
import { extractWorkerUrl } from './worker-bundle.ts';

export interface ExtractJob {
	/** The caller's name for the file (a paper id, a hash); results are keyed by it. */
	key: string;
	path: string;
}

export interface ExtractAllOptions extends Omit<ExtractOptions, 'onPage'> {
	/** Worker threads to run at once (default: the machine's cores). */
	concurrency?: number;
	/** Called after each file, in completion order. */
	onProgress?(done: number, total: number, key: string): void;
	/** Memory caps per worker: a file that needs more fails alone ("extractor crashed"). */
	resourceLimits?: ResourceLimits;
	/** The worker entry; only tests and tools speaking the same protocol need to change it. */
	workerUrl?: URL;
}

/** Time a worker gets beyond the per-file timeout to answer before it is killed. */
const KILL_GRACE_MS = 5_000;

/**
 * Extracts many PDFs in worker threads and resolves with every job's result by key. Never
 * rejects for a bad file: a file that crashes or hangs its worker fails alone, with a reason, and
 * a fresh worker takes the next file.
 */
export async function extractAll(
	jobs: ExtractJob[],
	options: ExtractAllOptions
): Promise<Map<string, ExtractResult>> {
	const { concurrency, onProgress, resourceLimits, workerUrl, ...extractOptions } = options;
	const results = new Map<string, ExtractResult>();
	const queue = [...jobs];
	const slots = Math.max(1, Math.min(concurrency ?? availableParallelism(), jobs.length));
	const timeoutMs = extractOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	if (jobs.length === 0) return results;
	const entry = workerUrl ?? (await extractWorkerUrl());
	let nextId = 0;
	let done = 0;

	const runSlot = async () => {
		let worker: Worker | null = null;
		try {
			for (let job = queue.shift(); job; job = queue.shift()) {
				if (!worker) {
					worker = new Worker(entry, { resourceLimits });
					const failure = await workerReady(worker);
					if (failure) {
						void worker.terminate();
						worker = null;
						results.set(job.key, failure);
						onProgress?.(++done, jobs.length, job.key);
						continue;
					}
				}
				const outcome = await runOnWorker(
					worker,
					{ id: nextId++, path: job.path, options: extractOptions },
					timeoutMs,
					timeoutMs + KILL_GRACE_MS
				);
				if (outcome.retire) {
					void worker.terminate();
					worker = null;
				}
				results.set(job.key, outcome.result);
				done++;
				onProgress?.(done, jobs.length, job.key);
			}
		} finally {
			await worker?.terminate();
		}
	};
	await Promise.all(Array.from({ length: slots }, runSlot));
	return results;
}

/** Loading TypeScript and pdf.js takes seconds on a busy machine; that is not a file's fault. */
const WORKER_START_LIMIT_MS = 120_000;

/** Waits for a new worker's `{ ready: true }`; resolves with a failure if it never comes. */
function workerReady(worker: Worker): Promise<ExtractResult | null> {
	return new Promise((resolve) => {
		const finish = (failure: ExtractResult | null) => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
			resolve(failure);
		};
		const onMessage = (message: { ready?: boolean }) => {
			if (message?.ready) finish(null);
		};
		const onError = (error: Error) =>
			finish({ ok: false, reason: `extractor failed to start: ${error.message}` });
		const onExit = (code: number) =>
			finish({ ok: false, reason: `extractor failed to start: exited with code ${code}` });
		const timer = setTimeout(
			() => finish({ ok: false, reason: 'extractor failed to start: no answer' }),
			WORKER_START_LIMIT_MS
		);
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
	});
}

/**
 * Sends one job; a worker that errors, exits or overruns is reported for retirement. The worker
 * says which page it starts (`{ id, page }`), so an overrun names the page that never returned.
 */
function runOnWorker(
	worker: Worker,
	job: { id: number; path: string; options: ExtractOptions },
	timeoutMs: number,
	killAfterMs: number
): Promise<{ result: ExtractResult; retire: boolean }> {
	let page: number | undefined;
	return new Promise((resolve) => {
		const finish = (result: ExtractResult, retire: boolean) => {
			clearTimeout(timer);
			worker.off('message', onMessage);
			worker.off('error', onError);
			worker.off('exit', onExit);
			resolve({ result, retire });
		};
		const onMessage = (answer: { id: number; result?: ExtractResult; page?: number }) => {
			if (answer?.id !== job.id) return;
			if (answer.result) finish(answer.result, false);
			else if (typeof answer.page === 'number') page = answer.page;
		};
		const onError = (error: Error) =>
			finish({ ok: false, reason: `extractor crashed: ${error.message}` }, true);
		const onExit = (code: number) =>
			finish({ ok: false, reason: `extractor crashed: worker exited with code ${code}` }, true);
		const timer = setTimeout(() => finish(timedOut({ timeoutMs }, page), true), killAfterMs);
		worker.on('message', onMessage);
		worker.on('error', onError);
		worker.on('exit', onExit);
		worker.postMessage(job);
	});
}
