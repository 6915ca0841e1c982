/**
 * Drawing one PDF page as a JPEG with pdf.js (legacy build) and a native canvas, at a scale that
 * keeps every image under a pixel cap. The ingest draws page one with it (in its extraction
 * threads), the server any other page (in a process of its own, see page-draw.ts).
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { importPdfjs } from './pdfjs-node.js';

/** Pixels per PDF point: 918 px for a 612-pt page, about the reader's width on a laptop. */
export const PAGE_IMAGE_SCALE = 1.5;
/**
 * Most pixels a page image may have: 4 megapixels (16 MB of canvas) is four times an A4 page
 * at `PAGE_IMAGE_SCALE`; a larger page is drawn smaller. The canvas lives in native memory that
 * no thread limit caps, and a 14,400-pt page at full scale took 6.4 GB.
 */
export const MAX_PAGE_IMAGE_PIXELS = 4_000_000;
/** JPEG quality: text stays crisp at a third of PNG's size, and it encodes several times faster. */
export const JPEG_QUALITY = 82;

export interface PageImage {
	jpeg: Uint8Array;
	/** Size of the page in PDF points (the JPEG is `PAGE_IMAGE_SCALE` times larger, or capped). */
	width: number;
	height: number;
}

/**
 * The scale to draw a page of `width` × `height` points at: `PAGE_IMAGE_SCALE`, lowered so the
 * image stays within `maxPixels` (rounding up to whole pixels included).
 */
export function pageImageScale(
	width: number,
	height: number,
	maxPixels = MAX_PAGE_IMAGE_PIXELS
): number {
	const pixelsAt = (scale: number) => Math.ceil(width * scale) * Math.ceil(height * scale);
	if (!(width > 0 && height > 0)) return PAGE_IMAGE_SCALE;
	if (pixelsAt(PAGE_IMAGE_SCALE) <= maxPixels) return PAGE_IMAGE_SCALE;
	let scale = Math.sqrt(maxPixels / (width * height));
	// Ceil may add a row and a column; shrink by a hair until the rounded size fits.
	while (pixelsAt(scale) > maxPixels && scale > 0) scale *= 0.999;
	return scale;
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
		const viewport = page.getViewport({ scale: pageImageScale(base.width, base.height) });
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

export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * Loads pdf.js for Node on first use (see pdfjs-node.js: once per thread, Node's own built-ins
 * kept), so that a process which never draws or extracts never loads it. Its worker module is
 * loaded too, so the cost is paid once up front and never blamed on a file. The ingest's
 * extraction uses it as well.
 */
export function loadPdfjs(): Promise<Pdfjs> {
	return importPdfjs();
}

/**
 * Most pixels of one image inside a PDF that pdf.js decodes (36 MP, a 600-dpi A4 scan); a larger
 * one is left out of the drawing instead of taking gigabytes of memory.
 */
export const MAX_PDF_IMAGE_PIXELS = 36_000_000;

/** A document opened by `openPdf`, and how to close it (never throws). */
export interface OpenPdf {
	proxy: PDFDocumentProxy;
	close(): Promise<void>;
}

/** Opens the PDF in `data` as the server reads stored PDFs (no fonts loaded, images capped). */
export async function openPdf(data: Uint8Array): Promise<OpenPdf> {
	const { getDocument, VerbosityLevel } = await loadPdfjs();
	const task = getDocument({
		data,
		useSystemFonts: false,
		isEvalSupported: false,
		disableFontFace: true,
		maxImageSize: MAX_PDF_IMAGE_PIXELS,
		verbosity: VerbosityLevel.ERRORS,
		stopAtErrors: false
	});
	const close = () => task.destroy().catch(() => undefined);
	try {
		return { proxy: await task.promise, close };
	} catch (error) {
		await close();
		throw error;
	}
}

/** Opens the PDF in `data`, draws page `pageNumber` and closes the document again. */
export async function drawPdfPage(data: Uint8Array, pageNumber: number): Promise<PageImage> {
	const doc = await openPdf(data);
	try {
		return await renderPageImage(doc.proxy, pageNumber);
	} finally {
		await doc.close();
	}
}
