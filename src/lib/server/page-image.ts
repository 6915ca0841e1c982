/**
 * JPEGs of single PDF pages, drawn with pdf.js (legacy build) and a native canvas. Page one is
 * drawn at ingest; any other page is drawn here on the first request for it, when a search hit
 * opens the reader deep in a paper, and kept beside the PDF. The reader shows the JPEG the moment
 * the HTML arrives, while pdf.js (a 1.2 MB worker to compile, then the document's own round
 * trips) is still getting ready, and pages without JavaScript show it too.
 */
import { readFile, stat } from 'node:fs/promises';
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Store } from './store.ts';
import { pageImageStorePath, writeFileAtomic } from './data-dir.ts';
import { fileResponse } from './pdf-response.ts';
import { importPdfjs } from './pdfjs-node.js';

/** Pixels per PDF point: 918 px for a 612-pt page, about the reader's width on a laptop. */
export const PAGE_IMAGE_SCALE = 1.5;
/** JPEG quality: text stays crisp at a third of PNG's size, and it encodes several times faster. */
const JPEG_QUALITY = 82;
/** Pages drawn at once per server process: drawing runs on the main thread, so more only queue. */
const MAX_CONCURRENT_DRAWS = 2;
/** A page that takes longer is abandoned, so one pathological PDF cannot hold a slot for ever. */
const DRAW_TIMEOUT_MS = 30_000;

export interface PageImage {
	jpeg: Uint8Array;
	/** Size of the page in PDF points (the JPEG is `PAGE_IMAGE_SCALE` times larger). */
	width: number;
	height: number;
}

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasLoading: Promise<CanvasModule> | null = null;

/** Draws page `pageNumber` of an open document as a JPEG on a white background. */
export async function renderPageImage(doc: PDFDocumentProxy, pageNumber = 1): Promise<PageImage> {
	canvasLoading ??= import('@napi-rs/canvas');
	const { createCanvas } = await canvasLoading;
	const page = await doc.getPage(pageNumber);
	try {
		const base = page.getViewport({ scale: 1 });
		const viewport = page.getViewport({ scale: PAGE_IMAGE_SCALE });
		const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
		const context = canvas.getContext('2d');
		// JPEG has no transparency: a page that paints no background must still come out white.
		context.fillStyle = '#fff';
		context.fillRect(0, 0, canvas.width, canvas.height);
		await page.render({
			canvas: canvas as unknown as HTMLCanvasElement,
			canvasContext: context as unknown as CanvasRenderingContext2D,
			viewport,
			background: '#fff'
		}).promise;
		const jpeg = await canvas.encode('jpeg', JPEG_QUALITY);
		return { jpeg: new Uint8Array(jpeg), width: base.width, height: base.height };
	} finally {
		page.cleanup();
	}
}

// ---------------------------------------------------------------- drawing on demand (server)

export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * Loads pdf.js for Node on first use (see pdfjs-node.js), so that a process which never draws or
 * extracts never loads it. Its worker module is loaded too, so the cost is paid once up front
 * and never blamed on a file. The ingest's extraction uses it as well.
 */
export function loadPdfjs(): Promise<Pdfjs> {
	return importPdfjs();
}

/**
 * Draws waiting for a slot, at most: beyond it a request is refused at once (503), and the
 * reader shows the page when pdf.js draws it, instead of a crawler's burst of deep links
 * queueing minutes of drawing.
 */
const MAX_WAITING_DRAWS = 8;

let drawsRunning = 0;
const waitingForSlot: (() => void)[] = [];

/** Runs `work` when fewer than `MAX_CONCURRENT_DRAWS` draws are running; the rest wait in turn. */
async function withDrawSlot<T>(work: () => Promise<T>): Promise<T> {
	if (drawsRunning >= MAX_CONCURRENT_DRAWS && waitingForSlot.length >= MAX_WAITING_DRAWS) {
		throw new PageImageError(503, 'the server is drawing other pages; try again shortly');
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
/** Pages that could not be drawn, and why: not tried again until the server restarts. */
const failedDraws = new Map<string, string>();

/** Opens the PDF at `pdfPath`, draws one page into `target` (atomically), and closes it. */
async function drawPageFile(pdfPath: string, pageNumber: number, target: string): Promise<void> {
	const { getDocument, VerbosityLevel } = await loadPdfjs();
	const task = getDocument({
		data: new Uint8Array(await readFile(pdfPath)),
		useSystemFonts: false,
		isEvalSupported: false,
		disableFontFace: true,
		verbosity: VerbosityLevel.ERRORS,
		stopAtErrors: false
	});
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => {
			reject(new Error(`not drawn within ${DRAW_TIMEOUT_MS / 1000} s`));
			void task.destroy().catch(() => undefined);
		}, DRAW_TIMEOUT_MS);
	});
	try {
		const image = await Promise.race([
			task.promise.then((doc) => renderPageImage(doc, pageNumber)),
			timeout
		]);
		await writeFileAtomic(target, image.jpeg);
	} finally {
		clearTimeout(timer);
		await task.destroy().catch(() => undefined);
	}
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false
	);

/** What is needed to find or draw one paper's page images. */
interface PageImageSource {
	paperId: string;
	sha256: string;
	/** The stored PDF, already checked against the licence rule. */
	pdfPath: string;
	dataDir: string;
}

/** A page image that cannot be served, with the HTTP status and a message naming paper and page. */
class PageImageError extends Error {
	constructor(
		readonly status: 404 | 500 | 503,
		message: string
	) {
		super(message);
	}
}

/**
 * Path of page `pageNumber`'s JPEG in DATA_DIR/pdf: the file already there (page one from the
 * ingest, or a page drawn before), else drawn now. Throws `PageImageError` (500) when drawing fails.
 */
async function pageImageFile(source: PageImageSource, pageNumber: number): Promise<string> {
	const target = pageImageStorePath(source.dataDir, source.sha256, pageNumber);
	if (await exists(target)) return target;
	const cannot = (reason: string) =>
		new PageImageError(
			500,
			`Page ${pageNumber} of the paper "${source.paperId}" could not be drawn: ${reason}`
		);
	const failed = failedDraws.get(target);
	if (failed !== undefined) throw cannot(failed);
	let drawing = drawsInFlight.get(target);
	if (!drawing) {
		drawing = withDrawSlot(() => drawPageFile(source.pdfPath, pageNumber, target)).finally(() =>
			drawsInFlight.delete(target)
		);
		drawsInFlight.set(target, drawing);
	}
	try {
		await drawing;
	} catch (error) {
		if (error instanceof PageImageError) throw error;
		const reason = error instanceof Error ? error.message : String(error);
		failedDraws.set(target, reason);
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

function textResponse(status: number, message: string): Response {
	return new Response(message, {
		status,
		headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }
	});
}

/** Paper and page of a page-image request, or why there is no such image (status and message). */
function findPageImage(
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

/**
 * Answers GET/HEAD for page `pageText` of paper `paperId` as a JPEG (strong ETag, validators, as
 * the PDF itself): 404 for an unknown paper, a PDF that may not be served (the PDF's licence
 * rule), or a page that is not a whole number within the paper; 500 naming paper and page when
 * the page cannot be drawn.
 */
export async function pageImageResponse(
	request: Request,
	store: PageImageStore,
	paperId: string,
	pageText: string
): Promise<Response> {
	const found = findPageImage(store, paperId, pageText);
	if ('status' in found) return textResponse(found.status, found.message);
	const { source, pageNumber } = found;
	let path: string;
	try {
		path = await pageImageFile(source, pageNumber);
	} catch (error) {
		if (!(error instanceof PageImageError)) throw error;
		console.error(`Glassbox: ${error.message}`);
		return textResponse(error.status, error.message);
	}
	return fileResponse(request, {
		path,
		contentType: 'image/jpeg',
		sha256: `${source.sha256}-page${pageNumber}`
	});
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
