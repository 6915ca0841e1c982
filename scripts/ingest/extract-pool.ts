/**
 * The extraction worker pool: many PDFs read in worker threads (extract-worker.ts), one file at
 * a time per worker, so that a file which crashes or hangs its worker fails alone.
 */
import { stat } from 'node:fs/promises';
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

/** How the threads are started. */
export interface ExtractPoolOptions {
	/** Worker threads to run at once (default: the machine's cores). */
	concurrency?: number;
	/** Memory caps per worker: a file that needs more fails alone ("extractor crashed"). */
	resourceLimits?: ResourceLimits;
	/** The worker entry; only tests and tools speaking the same protocol need to change it. */
	workerUrl?: URL;
}

/** How the files are read. */
export interface ExtractRunOptions extends Omit<ExtractOptions, 'onPage'> {
	/** Called after each file, in completion order. */
	onProgress?(done: number, total: number, key: string): void;
}

export type ExtractAllOptions = ExtractPoolOptions & ExtractRunOptions;

/** Time a worker gets beyond the per-file timeout to answer before it is killed. */
const KILL_GRACE_MS = 5_000;

/** A thread that said it is ready, or why it could not start. */
interface StartedWorker {
	worker: Worker;
	failure: ExtractResult | null;
}

/**
 * Extraction threads for one batch of files, which may be started before the files are known:
 * loading pdf.js takes most of a second of each thread, time the caller can spend hashing the
 * files meanwhile. Never rejects for a bad file: a file that crashes or hangs its worker fails
 * alone, with a reason, and a fresh worker takes the next file.
 */
export class ExtractPool {
	readonly #options: ExtractPoolOptions;
	readonly #concurrency: number;
	#entry: Promise<URL> | null = null;
	/** Threads started and not yet given work. */
	readonly #started: Promise<StartedWorker>[] = [];

	constructor(options: ExtractPoolOptions = {}) {
		this.#options = options;
		this.#concurrency = Math.max(1, options.concurrency ?? availableParallelism());
	}

	/** Starts threads, up to the concurrency, until there is one for each of `files` files. */
	reserve(files: number): void {
		while (this.#started.length < Math.min(files, this.#concurrency)) {
			this.#started.push(this.#startWorker());
		}
	}

	/** Reads `jobs`, resolving with every job's result by key; then ends every thread. */
	async run(jobs: ExtractJob[], options: ExtractRunOptions): Promise<Map<string, ExtractResult>> {
		const { onProgress, ...extractOptions } = options;
		const results = new Map<string, ExtractResult>();
		const queue = await largestFirst(jobs);
		const timeoutMs = extractOptions.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.reserve(jobs.length);
		let nextId = 0;
		let done = 0;

		const runSlot = async (first: Promise<StartedWorker>) => {
			let worker: Worker | null = null;
			let starting: Promise<StartedWorker> | null = first;
			try {
				for (let job = queue.shift(); job; job = queue.shift()) {
					if (!worker) {
						const started = await (starting ?? this.#startWorker());
						starting = null;
						if (started.failure) {
							results.set(job.key, started.failure);
							onProgress?.(++done, jobs.length, job.key);
							continue;
						}
						worker = started.worker;
						worker.ref();
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
				// A thread started for this batch that no job came to (all failed before it was ready).
				if (starting) await starting.then(({ worker }) => worker.terminate());
			}
		};
		await Promise.all(this.#started.splice(0).map(runSlot));
		return results;
	}

	#startWorker(): Promise<StartedWorker> {
		const { workerUrl, resourceLimits } = this.#options;
		this.#entry ??= workerUrl ? Promise.resolve(workerUrl) : extractWorkerUrl();
		return this.#entry.then(async (entry) => {
			const worker = new Worker(entry, { resourceLimits });
			// A thread that fails while it waits for work is found out by its next job (runOnWorker).
			worker.on('error', () => undefined);
			// Until it is given work it must not keep the process alive (the caller may fail first).
			worker.unref();
			const failure = await workerReady(worker);
			if (failure) void worker.terminate();
			return { worker, failure };
		});
	}
}

/**
 * Extracts many PDFs in worker threads and resolves with every job's result by key. Never
 * rejects for a bad file: a file that crashes or hangs its worker fails alone, with a reason, and
 * a fresh worker takes the next file.
 */
export async function extractAll(
	jobs: ExtractJob[],
	options: ExtractAllOptions
): Promise<Map<string, ExtractResult>> {
	const { concurrency, resourceLimits, workerUrl, ...runOptions } = options;
	if (jobs.length === 0) return new Map();
	return new ExtractPool({ concurrency, resourceLimits, workerUrl }).run(jobs, runOptions);
}

/**
 * The jobs, largest file first (unreadable ones last, they fail at once): when the queue runs
 * dry, the other threads then wait on a short file rather than a long one (sizes stand in for
 * page counts, which only opening the file would tell).
 */
async function largestFirst(jobs: ExtractJob[]): Promise<ExtractJob[]> {
	const sizes = await Promise.all(
		jobs.map((job) =>
			stat(job.path).then(
				(info) => info.size,
				() => -1
			)
		)
	);
	return jobs
		.map((job, index) => ({ job, size: sizes[index] }))
		.sort((a, b) => b.size - a.size)
		.map(({ job }) => job);
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
		// A thread that ended while it waited for this job never answers: its exit has been missed.
		if (worker.threadId < 0)
			finish({ ok: false, reason: 'extractor crashed: worker exited' }, true);
		else worker.postMessage(job);
	});
}
