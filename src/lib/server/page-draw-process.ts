/**
 * The body of a page-drawing process (see page-draw.ts): it draws the pages it is sent, or finds
 * their figures (page-figures.ts), one at a time, writes each JPEG or JSON and answers. Imported
 * by the server only to learn this module's own URL, where it does nothing.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { writeFileAtomic } from './data-dir.ts';
import { drawPdfPage, loadPdfjs, openPdf } from './page-render.ts';
import { findPageFigures } from '../pdf/page-figures.ts';
import { readPaperLayouts } from '../pdf/page-layout.ts';
import type { PageLayout } from '../pdf/layout.ts';

/** What a drawing process is asked to do: draw a page (the default) or find its figures. */
export interface PageDrawJob {
	kind?: 'image' | 'figures';
	pdfPath: string;
	pageNumber: number;
	/** Where the JPEG (or the figures' JSON) goes (written atomically). */
	target: string;
}

/** A drawing process's answer to one job. */
export type PageDrawAnswer = { ok: true } | { ok: false; reason: string };

/** The environment variable that makes a process a drawing process (any other ignores this module). */
export const PAGE_DRAW_PROCESS_KEY = 'GLASSBOX_PAGE_DRAW';

/** URL of this module as it runs (the built chunk in production, the source in tests). */
export const PAGE_DRAW_PROCESS_URL = import.meta.url;

/**
 * Scheduling niceness of every thread of a drawing process. A deep link's first visit draws its
 * page while the same reader's PDF ranges are being served, and the draw (seconds of CPU) is the
 * one that can wait: at 10 it gets about a tenth of a core that requests need.
 */
export const DRAW_NICENESS = 10;

/** Whether this process started its own session (Linux; /proc/self/stat's sixth field). */
function leadsItsSession(): boolean {
	try {
		const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
		return Number(fields[3]) === process.pid;
	} catch {
		return false;
	}
}

/**
 * Lowers the priority of every thread of this process (on Linux, niceness is per thread: V8's
 * helper threads are already running; threads started later inherit it from their creator), and
 * of its scheduling group: with autogroups on (Linux's default), CPU is shared between sessions
 * first and niceness only counts within one, so the draw, in a session of its own (page-draw.ts),
 * marks that session as nice too, and yields to every other process, not only to the server.
 */
function lowerPriority(): void {
	const threads = process.platform === 'linux' ? readdirSync('/proc/self/task').map(Number) : [0];
	for (const thread of threads) {
		try {
			setPriority(thread, DRAW_NICENESS);
		} catch {
			// Not allowed here (some containers): the process draws at normal priority.
		}
	}
	// Only as a session's leader: in the server's session it would slow the server down with it.
	if (!leadsItsSession()) return;
	try {
		writeFileSync('/proc/self/autogroup', String(DRAW_NICENESS));
	} catch {
		// No autogroups (a kernel without them): the threads' niceness is what counts.
	}
}

/**
 * The text layout of the last paper whose figures were found: a reader in the text view asks for
 * the pages of one paper in turn, and each page's figures are placed with the whole paper's layout.
 */
let lastPaper: { pdfPath: string; layouts: Promise<PageLayout[]> } | null = null;

async function figuresJob(job: PageDrawJob): Promise<string> {
	const pdfjs = await loadPdfjs();
	const doc = await openPdf(new Uint8Array(await readFile(job.pdfPath)));
	try {
		const figures = await findPageFigures(doc.proxy, job.pageNumber, pdfjs, () => {
			// Stored PDFs are named by their hash: the same path is the same paper.
			if (lastPaper?.pdfPath !== job.pdfPath) {
				lastPaper = { pdfPath: job.pdfPath, layouts: readPaperLayouts(doc.proxy) };
				lastPaper.layouts.catch(() => (lastPaper = null));
			}
			return lastPaper.layouts;
		});
		return JSON.stringify(figures);
	} finally {
		await doc.close();
	}
}

async function drawJob(job: PageDrawJob): Promise<PageDrawAnswer> {
	try {
		if (job.kind === 'figures') {
			await writeFileAtomic(job.target, await figuresJob(job));
		} else {
			const data = new Uint8Array(await readFile(job.pdfPath));
			await writeFileAtomic(job.target, (await drawPdfPage(data, job.pageNumber)).jpeg);
		}
		return { ok: true };
	} catch (error) {
		return { ok: false, reason: error instanceof Error ? error.message : String(error) };
	}
}

const send = process.send?.bind(process);
if (process.env[PAGE_DRAW_PROCESS_KEY] && send) {
	lowerPriority();
	process.on('message', (job: PageDrawJob) => {
		void drawJob(job).then((answer) => send(answer));
	});
	// The server is gone (or let this process go): nothing is left to draw for.
	process.on('disconnect', () => process.exit(0));
	// pdf.js is loaded while the first job is on its way, not after it arrives.
	void loadPdfjs();
}
