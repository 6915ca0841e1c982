/**
 * Draws one PDF page in a process of its own, with a memory limit and a kill on timeout, so that
 * a hostile page can neither block the server's event loop nor take its memory: the process is
 * killed when the time is up (pdf.js cannot be interrupted mid-draw), and its heap is capped
 * (the native canvas is capped by the pixel limit in page-render.ts). A process, not a thread,
 * so that all of a draw's CPU runs at a lower priority (page-draw-process.ts): in a thread, V8's
 * garbage collection and compilation for it ran on the server's own helper threads, at the
 * server's priority (EUCA p. 14: 55% of a draw's CPU).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PageDrawAnswer, PageDrawJob } from './page-draw-process.ts';

export interface PageDrawLimits {
	/** The process is killed after this long, and the draw fails with `PageDrawTimeout`. */
	timeoutMs: number;
	/** JavaScript heap of the process (pdf.js parsing); beyond it the process dies, not the server. */
	maxHeapMb: number;
}

/** A draw abandoned for time: not the page's fault, so it may be tried again later. */
export class PageDrawTimeout extends Error {}

/**
 * A process whose entry is TypeScript (tests, the ingest under tsx) registers tsx first. pdf.js is
 * imported natively before that, because through the tsx loader its 3 MB take seconds longer.
 */
const TYPESCRIPT_BOOTSTRAP = `
const entry = JSON.parse(process.env.GLASSBOX_PAGE_DRAW_BOOT);
await import(entry.pdfjs);
await import(entry.pdfjsWorker);
(await import(entry.tsx)).register();
await import(entry.entry);
`;

function processFor(entry: string, key: string, maxHeapMb: number): ChildProcess {
	const options = {
		env: { ...process.env, [key]: '1' },
		// A session of its own, so that its low priority counts against every process (page-draw-process.ts).
		detached: true,
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[]
	};
	// The young generation as a thread had it (32 MB: two 16-MB semi-spaces).
	const limits = [`--max-old-space-size=${maxHeapMb}`, '--max-semi-space-size=16'];
	if (!entry.endsWith('.ts')) {
		return spawn(process.execPath, [...limits, fileURLToPath(entry)], options);
	}
	const require = createRequire(import.meta.url);
	const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
	const pdfjsDir = packageDir('pdfjs-dist');
	const fileUrl = (path: string) => pathToFileURL(path).href;
	const boot = {
		entry,
		pdfjs: fileUrl(join(pdfjsDir, 'legacy/build/pdf.mjs')),
		pdfjsWorker: fileUrl(join(pdfjsDir, 'legacy/build/pdf.worker.mjs')),
		tsx: fileUrl(join(packageDir('tsx'), 'dist/esm/api/index.mjs'))
	};
	return spawn(
		process.execPath,
		[...limits, '--input-type=module', '--eval', TYPESCRIPT_BOOTSTRAP],
		{ ...options, env: { ...options.env, GLASSBOX_PAGE_DRAW_BOOT: JSON.stringify(boot) } }
	);
}

/** Draws a process makes before it is replaced, so that whatever pdf.js leaks stays bounded. */
const DRAWS_PER_PROCESS = 50;
/** An idle process (pdf.js loaded: tens of MB) is ended after this long without work. */
const IDLE_PROCESS_MS = 60_000;

interface DrawProcess {
	child: ChildProcess;
	maxHeapMb: number;
	draws: number;
	idleTimer?: ReturnType<typeof setTimeout>;
}

/** Processes waiting for work, each with pdf.js loaded: the next draw skips that cost. */
const idleProcesses: DrawProcess[] = [];

async function startProcess(maxHeapMb: number): Promise<DrawProcess> {
	// Imported for its URL: in the built server it is a chunk of its own that a process can run.
	const { PAGE_DRAW_PROCESS_KEY, PAGE_DRAW_PROCESS_URL } = await import('./page-draw-process.ts');
	const child = processFor(PAGE_DRAW_PROCESS_URL, PAGE_DRAW_PROCESS_KEY, maxHeapMb);
	// A process that cannot start reports it to the job waiting for it (runJob's 'error').
	child.on('error', () => {});
	const drawing: DrawProcess = { child, maxHeapMb, draws: 0 };
	// One that dies while idle is not handed the next job.
	child.once('exit', () => {
		const index = idleProcesses.indexOf(drawing);
		if (index >= 0) idleProcesses.splice(index, 1);
		clearTimeout(drawing.idleTimer);
	});
	return drawing;
}

/** Whether a process keeps the server alive: only while it draws. */
function holdOpen(drawing: DrawProcess, hold: boolean): void {
	const handles = [drawing.child, drawing.child.channel];
	for (const handle of handles) {
		if (hold) handle?.ref();
		else handle?.unref();
	}
}

function park(drawing: DrawProcess): void {
	holdOpen(drawing, false);
	drawing.idleTimer = setTimeout(() => drawing.child.kill('SIGKILL'), IDLE_PROCESS_MS);
	drawing.idleTimer.unref();
	idleProcesses.push(drawing);
}

/** Sends one job to `child` and waits for its answer, the time limit, or the process's end. */
function runJob(
	child: ChildProcess,
	job: PageDrawJob,
	limits: PageDrawLimits
): Promise<PageDrawAnswer> {
	return new Promise<PageDrawAnswer>((resolve, reject) => {
		const onMessage = (answer: PageDrawAnswer) => settle(() => resolve(answer));
		const onError = (error: Error) => settle(() => reject(error));
		const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
			settle(() =>
				reject(
					new Error(
						// V8 aborts a process whose heap is full.
						signal === 'SIGABRT' || code === 134
							? `needs more than ${limits.maxHeapMb} MB of memory`
							: `drawing stopped (${signal ?? `exit code ${code}`})`
					)
				)
			);
		const timer = setTimeout(
			() =>
				settle(() => reject(new PageDrawTimeout(`not drawn within ${limits.timeoutMs / 1000} s`))),
			limits.timeoutMs
		);
		function settle(finish: () => void) {
			clearTimeout(timer);
			child.off('message', onMessage).off('error', onError).off('exit', onExit);
			finish();
		}
		child.on('message', onMessage).on('error', onError).on('exit', onExit);
		child.send(job, (error) => {
			if (error) onError(error);
		});
	});
}

/**
 * Draws page `job.pageNumber` of the PDF at `job.pdfPath` into `job.target` in a drawing process.
 * Rejects with `PageDrawTimeout` when the time runs out (the process is killed), else with an
 * `Error` saying why the page was not drawn.
 */
export async function drawPageInProcess(job: PageDrawJob, limits: PageDrawLimits): Promise<void> {
	const idle = idleProcesses.findLastIndex((drawing) => drawing.maxHeapMb === limits.maxHeapMb);
	const drawing =
		idle >= 0 ? idleProcesses.splice(idle, 1)[0] : await startProcess(limits.maxHeapMb);
	clearTimeout(drawing.idleTimer);
	holdOpen(drawing, true);
	let answer: PageDrawAnswer;
	try {
		answer = await runJob(drawing.child, job, limits);
	} catch (error) {
		drawing.child.kill('SIGKILL');
		throw error;
	}
	if (++drawing.draws < DRAWS_PER_PROCESS) park(drawing);
	else drawing.child.kill('SIGKILL');
	if (!answer.ok) throw new Error(answer.reason);
}
