/**
 * JPEGs of single PDF pages, drawn with pdf.js (legacy build) and a native canvas. Any page is
 * drawn on the first request for it (in a process, see page-draw.ts, so a hostile page cannot
 * stall the server), when a search hit opens the reader deep in a paper, and kept beside the PDF;
 * page one is usually drawn before that, while the server is idle (page-one-warmup.ts). The
 * reader shows the JPEG the moment
 * the HTML arrives, while pdf.js (a 1.2 MB worker to compile, then the document's own round
 * trips) is still getting ready, and pages without JavaScript show it too.
 */
import { stat } from 'node:fs/promises';
import type { Store } from './store.ts';
import { pageImageStorePath } from './data-dir.ts';
import { fileResponse } from './pdf-response.ts';
import { drawPageInProcess, PageDrawTimeout, type PageDrawLimits } from './page-draw.ts';
import type { PageDrawJob } from './page-draw-process.ts';

export {
	PAGE_IMAGE_SCALE,
	MAX_PAGE_IMAGE_PIXELS,
	renderPageImage,
	loadPdfjs,
	type PageImage,
	type Pdfjs
} from './page-render.ts';

/** Pages drawn at once per server process: each takes a core, and the machine has few. */
const MAX_CONCURRENT_DRAWS = 2;
/**
 * A page that takes longer is abandoned (its process killed), so no PDF holds a slot for ever; a
 * process's heap is capped well above what a paper's page needs (under 100 MB).
 */
const DRAW_LIMITS: PageDrawLimits = { timeoutMs: 30_000, maxHeapMb: 384 };
/** A page that failed to draw is not tried again for this long (the PDF will not change). */
const FAILED_DRAW_RETRY_MS = 10 * 60_000;
/** What a 503 asks the client to wait, in seconds: about one draw. */
const RETRY_AFTER_SECONDS = 10;

/**
 * Draws waiting for a slot, at most: beyond it a request is refused at once (503), and the
 * reader shows the page when pdf.js draws it, instead of a crawler's burst of deep links
 * queueing minutes of drawing.
 */
const MAX_WAITING_DRAWS = 8;

let drawsRunning = 0;
const waitingForSlot: (() => void)[] = [];

/** Whether no page is being drawn or waiting for a slot (the page-one warm-up waits for it). */
export function drawsAreIdle(): boolean {
	return drawsRunning === 0 && waitingForSlot.length === 0;
}

/** Runs `work` when fewer than `MAX_CONCURRENT_DRAWS` draws are running; the rest wait in turn. */
async function withDrawSlot<T>(work: () => Promise<T>): Promise<T> {
	if (drawsRunning >= MAX_CONCURRENT_DRAWS && waitingForSlot.length >= MAX_WAITING_DRAWS) {
		throw new PageImageError(503, 'the server is drawing other pages; try again shortly', {
			retryAfterSeconds: RETRY_AFTER_SECONDS
		});
	}
	while (drawsRunning >= MAX_CONCURRENT_DRAWS) {
		await new Promise<void>((wake) => waitingForSlot.push(wake));
	}
	drawsRunning++;
	try {
		return await work();
	} finally {
		drawsRunning--;
		waitingForSlot.shift()?.();
	}
}

/** Draws in progress by target file, so two readers asking for one page share one draw. */
const drawsInFlight = new Map<string, Promise<void>>();
/**
 * Pages that could not be drawn, why, and until when that answer stands: a broken page is not
 * redrawn on every request, but is tried again later (a timeout under load is never kept).
 */
const failedDraws = new Map<string, { reason: string; until: number }>();

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false
	);

/** What is needed to find or draw one paper's page images. */
export interface PageImageSource {
	paperId: string;
	sha256: string;
	/** The stored PDF, already checked against the licence rule. */
	pdfPath: string;
	dataDir: string;
}

/** A page image that cannot be served, with the HTTP status and a message naming paper and page. */
export class PageImageError extends Error {
	/** For a 503: when to ask again, in seconds (`Retry-After`). */
	readonly retryAfterSeconds?: number;

	constructor(
		readonly status: 404 | 500 | 503,
		message: string,
		options: { retryAfterSeconds?: number } = {}
	) {
		super(message);
		this.retryAfterSeconds = options.retryAfterSeconds;
	}
}

/**
 * Path of page `pageNumber`'s JPEG in DATA_DIR/pdf: the file already there (a page drawn
 * before, by a request or the page-one warm-up), else drawn now in a drawing process. Throws
 * `PageImageError`: 404 when
 * the stored PDF is gone, 500 when the page cannot be drawn, 503 when the server is too busy or
 * the draw ran out of time (not remembered: the next request tries again).
 */
export function pageImageFile(
	source: PageImageSource,
	pageNumber: number,
	limits = DRAW_LIMITS
): Promise<string> {
	const target = pageImageStorePath(source.dataDir, source.sha256, pageNumber);
	return fileFromDrawing(source, { kind: 'image', pageNumber, target }, 'drawn', limits);
}

/**
 * `job.target` when it exists, else made now by a drawing process (`job` on the PDF of `source`),
 * within the drawing slots and limits; one job per target at a time, failures remembered as
 * `pageImageFile` says. `done` is what the job does to the page, for messages ("drawn").
 */
export async function fileFromDrawing(
	source: PageImageSource,
	job: Omit<PageDrawJob, 'pdfPath'>,
	done: string,
	limits = DRAW_LIMITS
): Promise<string> {
	const { target, pageNumber } = job;
	if (await exists(target)) return target;
	const where = `Page ${pageNumber} of the paper "${source.paperId}"`;
	const cannot = (reason: string) =>
		new PageImageError(500, `${where} could not be ${done}: ${reason}`);
	const failed = failedDraws.get(target);
	if (failed && failed.until > Date.now()) throw cannot(failed.reason);
	failedDraws.delete(target);
	if (!(await exists(source.pdfPath))) {
		throw new PageImageError(404, `The PDF of the paper "${source.paperId}" is not on the server`);
	}
	let drawing = drawsInFlight.get(target);
	if (!drawing) {
		drawing = withDrawSlot(() =>
			drawPageInProcess({ ...job, pdfPath: source.pdfPath }, limits)
		).finally(() => drawsInFlight.delete(target));
		drawsInFlight.set(target, drawing);
	}
	try {
		await drawing;
	} catch (error) {
		if (error instanceof PageImageError) throw error;
		if (error instanceof PageDrawTimeout) {
			throw new PageImageError(503, `${where} was not ${done} in time: ${error.message}`, {
				retryAfterSeconds: RETRY_AFTER_SECONDS
			});
		}
		const reason = error instanceof Error ? error.message : String(error);
		failedDraws.set(target, { reason, until: Date.now() + FAILED_DRAW_RETRY_MS });
		throw cannot(reason);
	}
	return target;
}

/** A page number as written in a URL: a positive integer without sign, fraction or padding. */
function parsePageNumber(text: string): number | null {
	return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : null;
}

/** The parts of the store a page-image request reads (the whole `Store` in the app). */
type PageImageStore = Pick<Store, 'dataDir' | 'paper' | 'pdfFile'>;

/** A plain-text answer that no cache keeps (errors). */
export function textResponse(
	status: number,
	message: string,
	retryAfterSeconds?: number
): Response {
	const headers = new Headers({
		'Content-Type': 'text/plain; charset=utf-8',
		'Cache-Control': 'no-store'
	});
	if (retryAfterSeconds !== undefined) headers.set('Retry-After', String(retryAfterSeconds));
	return new Response(message, { status, headers });
}

/** Paper and page of a page-image request, or why there is no such image (status and message). */
export function findPageImage(
	store: PageImageStore,
	paperId: string,
	pageText: string
): { source: PageImageSource; pageNumber: number } | { status: 404; message: string } {
	const paper = store.paper(paperId);
	if (!paper) return { status: 404, message: `No paper with id "${paperId}"` };
	const pdfPath = store.pdfFile(paper.id);
	if (!paper.pdf || !pdfPath) return { status: 404, message: `The paper "${paper.id}" has no PDF` };
	const pageNumber = parsePageNumber(pageText);
	if (pageNumber === null || pageNumber > paper.pdf.pageCount) {
		return {
			status: 404,
			message: `The paper "${paper.id}" has no page "${pageText}" (it has pages 1 to ${paper.pdf.pageCount})`
		};
	}
	const source = { paperId: paper.id, sha256: paper.pdf.sha256, pdfPath, dataDir: store.dataDir };
	return { source, pageNumber };
}

/** The answer when a page could not be drawn (logged, with its status); other errors are rethrown. */
function drawFailureResponse(error: unknown): Response {
	if (!(error instanceof PageImageError)) throw error;
	console.error(`Glassbox: ${error.message}`);
	return textResponse(error.status, error.message, error.retryAfterSeconds);
}

/**
 * Answers a request about page `pageText` of paper `paperId` with what `answer` makes of it: 404
 * for an unknown paper, a PDF that may not be served (the PDF's licence rule), or a page that is
 * not a whole number within the paper; the status a failed draw carries (500 naming paper and
 * page, 503 with `Retry-After` while the server is busy) when `answer` throws one.
 */
export async function answerForPage(
	store: PageImageStore,
	paperId: string,
	pageText: string,
	answer: (source: PageImageSource, pageNumber: number) => Promise<Response>
): Promise<Response> {
	const found = findPageImage(store, paperId, pageText);
	if ('status' in found) return textResponse(found.status, found.message);
	try {
		return await answer(found.source, found.pageNumber);
	} catch (error) {
		return drawFailureResponse(error);
	}
}

/** Answers GET/HEAD for a page as a JPEG (strong ETag, validators, as the PDF itself). */
export function pageImageResponse(
	request: Request,
	store: PageImageStore,
	paperId: string,
	pageText: string
): Promise<Response> {
	return answerForPage(store, paperId, pageText, async (source, pageNumber) =>
		fileResponse(request, {
			path: await pageImageFile(source, pageNumber),
			contentType: 'image/jpeg',
			sha256: `${source.sha256}-page${pageNumber}`
		})
	);
}

/**
 * Starts drawing a page the reader is about to ask for (a deep link's page, while its HTML is
 * still being sent), so the image request finds the draw under way. Never rejects: a page that
 * cannot be drawn is reported when the image itself is requested.
 */
export async function drawPageImageAhead(
	store: PageImageStore,
	paperId: string,
	pageNumber: number
): Promise<void> {
	const found = findPageImage(store, paperId, String(pageNumber));
	if ('status' in found) return;
	await pageImageFile(found.source, found.pageNumber).catch(() => undefined);
}
