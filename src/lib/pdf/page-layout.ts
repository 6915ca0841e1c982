/**
 * One PDF page's text as positioned segments (layout.ts), read from pdf.js's text content: what
 * the ingest joins into page texts, and what the figure finder reads labels and captions from.
 */
import type { PDFDocumentProxy, PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { runsToSegments, type PageLayout, type TextRun } from './layout.ts';

/**
 * A figure caption starting a line ("Fig. 3.", "Figure 2:"): only pages that have one are read
 * for figures, as drawing the operator list costs several times reading the text.
 */
const FIGURE_CAPTION = /^Fig(?:ure|\.)?\s*\d+/;

/** The layout of an open page: its box and its text segments (no figures). */
export async function readPageLayout(page: PDFPageProxy): Promise<PageLayout> {
	const [left, bottom, right, top] = page.view;
	const content = await page.getTextContent();
	const runs: TextRun[] = [];
	for (const item of content.items) {
		if (!('str' in item)) continue;
		const [a, b, c, d, e, f] = item.transform as number[];
		// Rotated text is a watermark ("DRAFT") or a margin stamp (arXiv id), never body text.
		if (Math.abs(b) > 0.01 * Math.abs(a) || Math.abs(c) > 0.01 * Math.abs(d)) continue;
		const size = Math.abs(d) || Math.abs(a) || item.height || 1;
		const blank = item.str.trim() === '';
		runs.push({
			text: item.str,
			x0: e,
			x1: e + Math.abs(item.width),
			y: f,
			size,
			blank,
			endsLine: item.hasEOL
		});
	}
	return {
		width: right - left,
		height: top - bottom,
		bottom,
		left,
		segments: runsToSegments(runs)
	};
}

/** Whether a page is read for figures: it has a figure caption and is not rotated. */
export function mayHaveFigures(page: PDFPageProxy, layout: PageLayout): boolean {
	return page.rotate % 360 === 0 && layout.segments.some((s) => FIGURE_CAPTION.test(s.text));
}

/** The layout of a page that could not be read: no text, no size. */
export const UNREADABLE_PAGE: PageLayout = {
	width: 0,
	height: 0,
	bottom: 0,
	left: 0,
	segments: []
};

/** The layout of page `number` of an open document, its resources freed once read. */
export async function readPageLayoutAt(doc: PDFDocumentProxy, number: number): Promise<PageLayout> {
	const page = await doc.getPage(number);
	try {
		return await readPageLayout(page);
	} finally {
		page.cleanup();
	}
}

/**
 * The layout of every page of an open document (text only), as the ingest reads them; an
 * unreadable page is `UNREADABLE_PAGE`.
 */
export async function readPaperLayouts(doc: PDFDocumentProxy): Promise<PageLayout[]> {
	const layouts: PageLayout[] = [];
	for (let number = 1; number <= doc.numPages; number++) {
		layouts.push(await readPageLayoutAt(doc, number).catch(() => UNREADABLE_PAGE));
	}
	return layouts;
}
