/**
 * The figures of one PDF page, found on demand (the server does it the first time the text view
 * asks, see server/page-figures.ts): the boxes from the page's operator list (figures.ts), placed
 * in the page's text as the ingest reads it, which takes the layout of the whole paper (running
 * headers and the hyphenation vocabulary are the paper's, not the page's).
 */
import type { PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PageFigure } from '../types.ts';
import { findFigureBoxes, type FigureOps } from './figures.ts';
import { layoutsToPages, type PageLayout } from './layout.ts';
import { mayHaveFigures, readPageLayout, readPaperLayouts } from './page-layout.ts';

/** The parts of pdf.js the finder needs (`Pdfjs` in the app). */
export interface FigurePdfjs {
	OPS: FigureOps;
	AnnotationMode: { DISABLE: number };
}

/**
 * The figures of page `pageNumber` of an open document, each placed in the page's text; none on
 * a page without a figure caption. `paperLayouts` gives the text layout of every page (a caller
 * asking for several pages of one paper may keep it); it is read only when the page has figures.
 */
export async function findPageFigures(
	doc: PDFDocumentProxy,
	pageNumber: number,
	{ OPS, AnnotationMode }: FigurePdfjs,
	paperLayouts: () => Promise<PageLayout[]> = () => readPaperLayouts(doc)
): Promise<PageFigure[]> {
	const page = await doc.getPage(pageNumber);
	let layout: PageLayout;
	try {
		layout = await readPageLayout(page);
		if (!mayHaveFigures(page, layout)) return [];
		const operators = await page.getOperatorList({ annotationMode: AnnotationMode.DISABLE });
		layout.figures = findFigureBoxes(operators, OPS, page.view, layout.segments);
	} finally {
		page.cleanup();
	}
	if (layout.figures.length === 0) return [];
	const layouts = [...(await paperLayouts())];
	layouts[pageNumber - 1] = layout;
	return layoutsToPages(layouts)[pageNumber - 1].figures;
}
