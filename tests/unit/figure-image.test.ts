import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageFiguresStorePath, pdfStoreDir, pdfStorePath } from '../../src/lib/server/data-dir.ts';
import { figureImageResponse } from '../../src/lib/server/figure-image.ts';
import { FIGURES_VERSION } from '../../src/lib/server/page-figures.ts';
import { pageImageResponse } from '../../src/lib/server/page-image.ts';
import { Store } from '../../src/lib/server/store.ts';
import type { PageFigure } from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { inkOfJpeg } from '../fixtures/ink.ts';
import { makePdf, manyPages } from '../fixtures/pdf/make-pdf.ts';
import { makePaper } from '../fixtures/paper.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-figure-image-'));
mkdirSync(pdfStoreDir(dataDir), { recursive: true });

// Page two: a block of text in its upper part (the "figure"), nothing below it.
const pdf = makePdf(
	manyPages(2, (page) =>
		page === 2 ? Array.from({ length: 12 }, () => 'Saliency '.repeat(9)) : ['One line.']
	)
);
const sha256 = createHash('sha256').update(pdf).digest('hex');
writeFileSync(pdfStorePath(dataDir, sha256), pdf);
const paper = makePaper({
	id: 'figures',
	pdf: { sha256, bytes: pdf.length, pageCount: 2, origin: 'local' }
});
const inked: PageFigure = {
	x: 0.05,
	y: 0.05,
	width: 0.9,
	height: 0.3,
	pageAspect: 1.414,
	at: 0,
	labels: []
};
const blank: PageFigure = {
	x: 0.1,
	y: 0.7,
	width: 0.5,
	height: 0.2,
	pageAspect: 1.414,
	at: 10,
	labels: []
};
// The figures the finder gave for each page, kept as the server keeps them.
writeFileSync(pageFiguresStorePath(dataDir, sha256, 1, FIGURES_VERSION), '[]');
writeFileSync(
	pageFiguresStorePath(dataDir, sha256, 2, FIGURES_VERSION),
	JSON.stringify([inked, blank])
);
const store = new Store(dataDir, 'test-build', makeCatalog([paper]), null as never);

const url = (page: string, figure: string) =>
	`http://localhost/papers/figures/page/${page}.jpg?figure=${figure}`;
const get = (page: string, figure: string, headers: HeadersInit = {}) =>
	figureImageResponse(new Request(url(page, figure), { headers }), store, 'figures', page, figure);

describe('figure images', () => {
	it("cuts a listed figure out of the page's image, smaller than it, and keeps it", async () => {
		const page = new Uint8Array(
			await (
				await pageImageResponse(new Request(url('2', '')), store, 'figures', '2')
			).arrayBuffer()
		);
		const whole = await inkOfJpeg(page);
		const response = await get('2', '1');
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('image/jpeg');
		const jpeg = new Uint8Array(await response.arrayBuffer());
		const figure = await inkOfJpeg(jpeg);
		expect(figure.width).toBeCloseTo(inked.width * whole.width, -1);
		expect(figure.height).toBeCloseTo(inked.height * whole.height, -1);
		// The text of the figure's box is in it, denser than on the whole page.
		expect(figure.ink).toBeGreaterThan(whole.ink);
		expect(jpeg.length).toBeLessThan(page.length);
		// The second figure's box is below the text: white.
		expect((await inkOfJpeg(new Uint8Array(await (await get('2', '2')).arrayBuffer()))).ink).toBe(
			0
		);
		expect(
			existsSync(join(pdfStoreDir(dataDir), `${sha256}.page2.figure-500-500-9000-3000.jpg`))
		).toBe(true);
	});

	it('answers 304 to a browser that holds the figure, by an ETag naming its box', async () => {
		const etag = (await get('2', '1')).headers.get('ETag')!;
		expect(etag).toBe(`"${sha256}-page2-figure-500-500-9000-3000"`);
		expect((await get('2', '1', { 'If-None-Match': etag })).status).toBe(304);
	});

	it('answers 404 for a figure the finder does not list, and cuts nothing', async () => {
		for (const [page, figure] of [
			['2', '3'],
			['2', '0'],
			['2', 'x'],
			['1', '1'],
			['3', '1']
		]) {
			const response = await get(page, figure);
			expect(response.status).toBe(404);
			expect(response.headers.get('Cache-Control')).toBe('no-store');
		}
		expect(
			(await figureImageResponse(new Request(url('2', '1')), store, 'nobody', '2', '1')).status
		).toBe(404);
	});
});
