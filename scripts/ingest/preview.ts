/**
 * A JPEG of a PDF's first page, drawn at ingest with pdf.js and a native canvas. The reader
 * shows it the moment the HTML arrives, while pdf.js (a 1.2 MB worker to compile, then the
 * document's own round trips) is still getting ready, and pages without JavaScript show it too.
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** Pixels per PDF point: 918 px for a 612-pt page, about the reader's width on a laptop. */
export const PREVIEW_SCALE = 1.5;
/** JPEG quality: text stays crisp at a third of PNG's size, and it encodes several times faster. */
const JPEG_QUALITY = 82;

export interface PagePreview {
	jpeg: Uint8Array;
	/** Size of the page in PDF points (the JPEG is `PREVIEW_SCALE` times larger). */
	width: number;
	height: number;
}

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasLoading: Promise<CanvasModule> | null = null;

/** Draws page `pageNumber` of an open document as a JPEG on a white background. */
export async function renderPreview(doc: PDFDocumentProxy, pageNumber = 1): Promise<PagePreview> {
	canvasLoading ??= import('@napi-rs/canvas');
	const { createCanvas } = await canvasLoading;
	const page = await doc.getPage(pageNumber);
	try {
		const base = page.getViewport({ scale: 1 });
		const viewport = page.getViewport({ scale: PREVIEW_SCALE });
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
