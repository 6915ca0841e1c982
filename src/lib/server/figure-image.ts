/**
 * One figure of a page as a JPEG of its own, cut from the page's image (page-image.ts) and kept
 * beside it: the text view shows it where the figure is read, a tenth of the page image's
 * bytes (13 KB and 32 KB for the two figures of jin-2022's pages 3 and 5, against 271 KB and
 * 250 KB for their pages).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PageFigure } from '../types.ts';
import { pdfStoreDir, writeFileAtomic } from './data-dir.ts';
import { answerForPage, pageImageFile, textResponse } from './page-image.ts';
import { pageFigures } from './page-figures.ts';
import { JPEG_QUALITY } from './page-render.ts';
import { fileResponse } from './pdf-response.ts';
import type { Store } from './store.ts';

/** The parts of the store a figure request reads (the whole `Store` in the app). */
type FigureImageStore = Pick<Store, 'dataDir' | 'paper' | 'pdfFile'>;

/** The figure's box in ten-thousandths of the page, which names its file: a new box, a new file. */
function boxKey(figure: PageFigure): string {
	return [figure.x, figure.y, figure.width, figure.height]
		.map((value) => Math.round(value * 10_000))
		.join('-');
}

type CanvasModule = typeof import('@napi-rs/canvas');
let canvasLoading: Promise<CanvasModule> | null = null;

/** Cuts `figure`'s box out of the page JPEG at `pagePath`, as a JPEG. */
async function cutFigure(pagePath: string, figure: PageFigure): Promise<Uint8Array> {
	canvasLoading ??= import('@napi-rs/canvas');
	const { createCanvas, loadImage } = await canvasLoading;
	const page = await loadImage(await readFile(pagePath));
	const left = Math.max(0, Math.floor(figure.x * page.width));
	const top = Math.max(0, Math.floor(figure.y * page.height));
	const width = Math.max(1, Math.min(page.width - left, Math.ceil(figure.width * page.width)));
	const height = Math.max(1, Math.min(page.height - top, Math.ceil(figure.height * page.height)));
	const canvas = createCanvas(width, height);
	canvas.getContext('2d').drawImage(page, left, top, width, height, 0, 0, width, height);
	return new Uint8Array(await canvas.encode('jpeg', JPEG_QUALITY));
}

const exists = (path: string) =>
	stat(path).then(
		() => true,
		() => false
	);

/**
 * Answers GET/HEAD for figure `figureText` (1-based, in the page's order) of page `pageText` as
 * a JPEG, as the page image is answered (ETag, validators); 404 for a figure the finder does not
 * list on that page (page-figures.ts), so no one can make the server cut and keep any box they like.
 */
export function figureImageResponse(
	request: Request,
	store: FigureImageStore,
	paperId: string,
	pageText: string,
	figureText: string
): Promise<Response> {
	return answerForPage(store, paperId, pageText, async (source, pageNumber) => {
		const figures = await pageFigures(source, pageNumber);
		const figure = /^[1-9]\d{0,2}$/.test(figureText) ? figures[Number(figureText) - 1] : undefined;
		if (!figure) {
			return textResponse(
				404,
				`Page ${pageNumber} of the paper "${source.paperId}" has no figure "${figureText}" (it has ${figures.length})`
			);
		}
		const key = boxKey(figure);
		const path = join(
			pdfStoreDir(store.dataDir),
			`${source.sha256}.page${pageNumber}.figure-${key}.jpg`
		);
		if (!(await exists(path))) {
			await writeFileAtomic(path, await cutFigure(await pageImageFile(source, pageNumber), figure));
		}
		return fileResponse(request, {
			path,
			contentType: 'image/jpeg',
			sha256: `${source.sha256}-page${pageNumber}-figure-${key}`
		});
	});
}
