/**
 * The body of a page-drawing thread (see page-draw.ts): it draws the pages it is sent, one at a
 * time, writes each JPEG and answers. Imported in the main thread only to learn this module's
 * own URL, where it does nothing.
 */
import { readFile } from 'node:fs/promises';
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
	port.on('message', (job: PageDrawJob) => {
		void drawJob(job).then((answer) => port.postMessage(answer));
	});
	// pdf.js is loaded while the first job is on its way, not after it arrives.
	void loadPdfjs();
}
