/**
 * The figures of a page for the text view, found by the server the first time they are asked
 * for (in a drawing process, with a drawing's limits: see page-image.ts) and kept beside the PDF.
 * The ingest no longer looks for figures: reading a page's operator list cost about three times
 * reading its text, and only the pages someone reads as text need it.
 */
import { readFile } from 'node:fs/promises';
import type { PageFigure } from '../types.ts';
import { pageFiguresStorePath } from './data-dir.ts';
import { answerForPage, fileFromDrawing, type PageImageSource } from './page-image.ts';
import type { Store } from './store.ts';

/**
 * Bumped whenever a change to the figure finder or to the page layout changes the figures it
 * gives, so that figures kept by an older version are found again.
 */
export const FIGURES_VERSION = 2;

/** The figures of page `pageNumber`: kept ones, else found now. Throws as `pageImageFile`. */
export async function pageFigures(
	source: PageImageSource,
	pageNumber: number
): Promise<PageFigure[]> {
	const target = pageFiguresStorePath(source.dataDir, source.sha256, pageNumber, FIGURES_VERSION);
	const path = await fileFromDrawing(
		source,
		{ kind: 'figures', pageNumber, target },
		'read for figures'
	);
	return JSON.parse(await readFile(path, 'utf8')) as PageFigure[];
}

/** The parts of the store a figures request reads (the whole `Store` in the app). */
type PageFiguresStore = Pick<Store, 'dataDir' | 'paper' | 'pdfFile'>;

/**
 * Answers GET for the figures of page `pageText` of paper `paperId` as JSON (`PageFigure[]`):
 * 404 as for the page's image, 500 when the page cannot be read, 503 with `Retry-After` while
 * the server is busy. They change only with the PDF and the finder, so browsers may keep them.
 */
export function pageFiguresResponse(
	request: Request,
	store: PageFiguresStore,
	paperId: string,
	pageText: string
): Promise<Response> {
	return answerForPage(store, paperId, pageText, async (source, pageNumber) => {
		const etag = `"${source.sha256}-page${pageNumber}-figures-v${FIGURES_VERSION}"`;
		const headers = { ETag: etag, 'Cache-Control': 'public, max-age=86400' };
		if (request.headers.get('If-None-Match') === etag) {
			return new Response(null, { status: 304, headers });
		}
		return Response.json(await pageFigures(source, pageNumber), { headers });
	});
}
