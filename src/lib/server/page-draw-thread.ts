/**
 * The body of a page-drawing thread (see page-draw.ts): it draws the pages it is sent, one at a
 * time, writes each JPEG and answers. Imported in the main thread only to learn this module's
 * own URL, where it does nothing.
 */
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { writeFileAtomic } from './data-dir.ts';
import { drawPdfPage, loadPdfjs } from './page-render.ts';

/** What a drawing thread is asked to do. */
export interface PageDrawJob {
	pdfPath: string;
	pageNumber: number;
	/** Where the JPEG goes (written atomically). */
	target: string;
}

/** A drawing thread's one answer. */
export type PageDrawAnswer = { ok: true } | { ok: false; reason: string };

/** The `workerData` key that makes a thread a drawing thread (any other ignores this module). */
export const PAGE_DRAW_THREAD_KEY = 'glassboxPageDraw';

/** URL of this module as it runs (the built chunk in production, the source in tests). */
export const PAGE_DRAW_THREAD_URL = import.meta.url;

/**
 * Scheduling niceness of a drawing thread (Linux: of this thread only). A deep link's first visit
 * draws its page while the same reader's PDF ranges are being served, and the draw (seconds of
 * CPU) is the one that can wait: at 10 it gets about a tenth of a core that requests need.
 */
const DRAW_THREAD_NICENESS = 10;

async function drawJob(job: PageDrawJob): Promise<PageDrawAnswer> {
	try {
		const image = await drawPdfPage(new Uint8Array(await readFile(job.pdfPath)), job.pageNumber);
		await writeFileAtomic(job.target, image.jpeg);
		return { ok: true };
	} catch (error) {
		return { ok: false, reason: error instanceof Error ? error.message : String(error) };
	}
}

if (
	!isMainThread &&
	parentPort &&
	(workerData as Record<string, unknown> | null)?.[PAGE_DRAW_THREAD_KEY]
) {
	const port = parentPort;
	try {
		setPriority(DRAW_THREAD_NICENESS);
	} catch {
		// Not allowed here (some containers): the thread draws at normal priority.
	}
	port.on('message', (job: PageDrawJob) => {
		void drawJob(job).then((answer) => port.postMessage(answer));
	});
	// pdf.js is loaded while the first job is on its way, not after it arrives.
	void loadPdfjs();
}
