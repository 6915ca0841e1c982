import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageImageStorePath, pdfStoreDir, pdfStorePath } from '../../src/lib/server/data-dir.ts';
import {
	drawPageImageAhead,
	PAGE_IMAGE_SCALE,
	pageImageFile,
	PageImageError,
	pageImageResponse
} from '../../src/lib/server/page-image.ts';
import { Store } from '../../src/lib/server/store.ts';
import type { Paper } from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import {
	A4,
	corruptPdf,
	giantPage,
	makePdf,
	manyPages,
	shapesPage,
	singleColumnPage
} from '../fixtures/pdf/make-pdf.ts';
import { makePaper } from '../fixtures/paper.ts';
import { inkOfJpeg } from '../fixtures/ink.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-page-image-'));
mkdirSync(pdfStoreDir(dataDir), { recursive: true });

/** Stores `pdf` as the ingest would and returns a paper that points at it. */
function storedPaper(id: string, pdf: Buffer, pageCount: number, fields: Partial<Paper> = {}) {
	const sha256 = createHash('sha256').update(pdf).digest('hex');
	writeFileSync(pdfStorePath(dataDir, sha256), pdf);
	return makePaper({
		id,
		pdf: { sha256, bytes: pdf.length, pageCount, origin: 'local' },
		...fields
	});
}

// Page two carries a heavy block of text, so its ink is told from page one's by amount.
const pages = manyPages(3, (page) =>
	page === 2 ? Array.from({ length: 30 }, () => 'Saliency '.repeat(9)) : ['A short line.']
);
const threePages = storedPaper('three-pages', makePdf(pages), 3);
const broken = storedPaper('broken-pdf', corruptPdf(), 4);
const twentyPages = storedPaper('twenty-pages', makePdf(manyPages(20)), 20);
const giant = storedPaper(
	'giant-page',
	makePdf([singleColumnPage(['Page one']), giantPage(), shapesPage(1_000)]),
	3
);
const deleted = storedPaper('deleted-pdf', makePdf(manyPages(5)), 5);
rmSync(pdfStorePath(dataDir, deleted.pdf!.sha256));
const fetchedUnlicensed = storedPaper('fetched-unlicensed', makePdf(manyPages(2)), 2, {
	license: null
});
fetchedUnlicensed.pdf!.origin = 'fetched';

// The page-image code reads papers and PDF paths only; the search engine is never touched.
const store = new Store(
	dataDir,
	'test-build',
	makeCatalog([threePages, broken, twentyPages, giant, deleted, fetchedUnlicensed]),
	null as never
);

const get = (id: string, page: string) =>
	pageImageResponse(new Request(`http://localhost/papers/${id}/page/${page}.jpg`), store, id, page);

afterEach(() => {
	vi.restoreAllMocks();
});

describe('page images', () => {
	it('draws a page other than the first on request, with its text in ink, and keeps it on disk', async () => {
		const response = await get('three-pages', '2');
		expect(response.status).toBe(200);
		expect(response.headers.get('Content-Type')).toBe('image/jpeg');
		expect(response.headers.get('ETag')).toBe(`"${threePages.pdf!.sha256}-page2"`);
		const jpeg = new Uint8Array(await response.arrayBuffer());
		const page2 = await inkOfJpeg(jpeg);
		expect(page2.width).toBe(Math.ceil(A4.width * PAGE_IMAGE_SCALE));
		expect(page2.height).toBe(Math.ceil(A4.height * PAGE_IMAGE_SCALE));
		// Thirty lines of text: far more ink than page three's single short line.
		const page3 = await inkOfJpeg(
			new Uint8Array(await (await get('three-pages', '3')).arrayBuffer())
		);
		expect(page2.ink).toBeGreaterThan(0.01);
		expect(page3.ink).toBeGreaterThan(0);
		expect(page2.ink).toBeGreaterThan(page3.ink * 5);
		const cached = pageImageStorePath(dataDir, threePages.pdf!.sha256, 2);
		expect(cached).toBe(join(dataDir, 'pdf', `${threePages.pdf!.sha256}.page2.jpg`));
		expect(new Uint8Array(readFileSync(cached))).toEqual(jpeg);
	});

	it('serves a page drawn before from its file, without opening the PDF again', async () => {
		const first = new Uint8Array(await (await get('three-pages', '2')).arrayBuffer());
		const cached = pageImageStorePath(dataDir, threePages.pdf!.sha256, 2);
		const drawnAt = statSync(cached).mtimeMs;
		// A PDF that can no longer be read proves the second answer does not come from drawing.
		const pdfPath = pdfStorePath(dataDir, threePages.pdf!.sha256);
		const pdf = readFileSync(pdfPath);
		writeFileSync(pdfPath, corruptPdf());
		try {
			const again = await get('three-pages', '2');
			expect(again.status).toBe(200);
			expect(new Uint8Array(await again.arrayBuffer())).toEqual(first);
			expect(statSync(cached).mtimeMs).toBe(drawnAt);
		} finally {
			writeFileSync(pdfPath, pdf);
		}
	});

	it('answers 304 to a browser that already holds the page', async () => {
		const etag = (await get('three-pages', '2')).headers.get('ETag')!;
		const response = await pageImageResponse(
			new Request('http://localhost/papers/three-pages/page/2.jpg', {
				headers: { 'If-None-Match': etag }
			}),
			store,
			'three-pages',
			'2'
		);
		expect(response.status).toBe(304);
	});

	it.each(['0', '4', '99', '2.5', '02', '-1', 'two', ''])(
		'answers 404 for page "%s" of a three-page paper, naming the pages it has',
		async (page) => {
			const response = await get('three-pages', page);
			expect(response.status).toBe(404);
			expect(await response.text()).toBe(
				`The paper "three-pages" has no page "${page}" (it has pages 1 to 3)`
			);
		}
	);

	it('answers 404 for an unknown paper and for a fetched PDF its licence does not let us serve', async () => {
		expect((await get('no-such-paper', '1')).status).toBe(404);
		const unlicensed = await get('fetched-unlicensed', '2');
		expect(unlicensed.status).toBe(404);
		expect(await unlicensed.text()).toBe('The paper "fetched-unlicensed" has no PDF');
		expect(existsSync(pageImageStorePath(dataDir, fetchedUnlicensed.pdf!.sha256, 2))).toBe(false);
	});

	it('answers 500 naming the paper and page when the stored PDF cannot be drawn, and keeps serving', async () => {
		const response = await get('broken-pdf', '2');
		expect(response.status).toBe(500);
		expect(await response.text()).toMatch(
			/^Page 2 of the paper "broken-pdf" could not be drawn: .+/
		);
		expect(existsSync(pageImageStorePath(dataDir, broken.pdf!.sha256, 2))).toBe(false);
		// Nothing was left cached or broken: a good paper is still drawn.
		expect((await get('three-pages', '1')).status).toBe(200);
	});

	it('does not draw a page again for a while once it has failed, then tries again', async () => {
		expect((await get('broken-pdf', '3')).status).toBe(500);
		// Were the page tried again, the stored file, now a good PDF, would be drawn.
		writeFileSync(pdfStorePath(dataDir, broken.pdf!.sha256), makePdf(manyPages(4)));
		try {
			const again = await get('broken-pdf', '3');
			expect(again.status).toBe(500);
			expect(await again.text()).toMatch(/^Page 3 of the paper "broken-pdf" could not be drawn/);
			const now = Date.now();
			vi.spyOn(Date, 'now').mockReturnValue(now + 24 * 60 * 60_000);
			expect((await get('broken-pdf', '3')).status).toBe(200);
		} finally {
			writeFileSync(pdfStorePath(dataDir, broken.pdf!.sha256), corruptPdf());
			rmSync(pageImageStorePath(dataDir, broken.pdf!.sha256, 3), { force: true });
		}
	});

	it('draws a 14,400-pt page small enough to keep the server alive, not at full scale', async () => {
		const response = await get('giant-page', '2');
		expect(response.status).toBe(200);
		const image = await inkOfJpeg(new Uint8Array(await response.arrayBuffer()));
		expect(image.width * image.height).toBeLessThanOrEqual(4_000_000);
		expect(image.ink).toBeGreaterThan(0);
	});

	it('answers 503 with Retry-After when a draw runs out of time, and draws the page when asked again', async () => {
		const source = {
			paperId: 'giant-page',
			sha256: giant.pdf!.sha256,
			pdfPath: pdfStorePath(dataDir, giant.pdf!.sha256),
			dataDir
		};
		const late = await pageImageFile(source, 3, { timeoutMs: 50, maxHeapMb: 384 }).catch(
			(error: unknown) => error
		);
		expect(late).toBeInstanceOf(PageImageError);
		expect((late as PageImageError).status).toBe(503);
		expect((late as PageImageError).retryAfterSeconds).toBeGreaterThan(0);
		expect((late as PageImageError).message).toMatch(
			/^Page 3 of the paper "giant-page" was not drawn in time/
		);
		// A timeout says nothing about the page: it is not remembered as a failure.
		const response = await get('giant-page', '3');
		expect(response.status).toBe(200);
	});

	it('answers 404, not 500, when the stored PDF has gone from the disk', async () => {
		const response = await get('deleted-pdf', '2');
		expect(response.status).toBe(404);
		expect(await response.text()).toBe('The PDF of the paper "deleted-pdf" is not on the server');
	});

	it('refuses at once (503) what would wait behind more than a few draws, and draws the rest', async () => {
		const responses = await Promise.all(
			Array.from({ length: 20 }, (_, i) => get('twenty-pages', String(i + 1)))
		);
		const refused = responses.filter((response) => response.status === 503);
		expect(refused.length).toBeGreaterThan(0);
		expect(await refused[0].text()).toMatch(/drawing other pages; try again/);
		expect(Number(refused[0].headers.get('Retry-After'))).toBeGreaterThan(0);
		expect(responses.every((response) => [200, 503].includes(response.status))).toBe(true);
		// A refused page is drawn when it is asked for again.
		const page = responses.findIndex((response) => response.status === 503) + 1;
		expect((await get('twenty-pages', String(page))).status).toBe(200);
	});
});

describe('drawPageImageAhead', () => {
	it('draws the page a deep link opens at into the cache before the image is asked for', async () => {
		const cached = pageImageStorePath(dataDir, threePages.pdf!.sha256, 3);
		rmSync(cached, { force: true });
		await drawPageImageAhead(store, 'three-pages', 3);
		expect(existsSync(cached)).toBe(true);
		const response = await get('three-pages', '3');
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(
			new Uint8Array(readFileSync(cached))
		);
	});

	it('settles quietly for a page that cannot be drawn or does not exist, leaving the error to the image request', async () => {
		await expect(drawPageImageAhead(store, 'broken-pdf', 2)).resolves.toBeUndefined();
		await expect(drawPageImageAhead(store, 'three-pages', 9)).resolves.toBeUndefined();
		expect(existsSync(pageImageStorePath(dataDir, threePages.pdf!.sha256, 9))).toBe(false);
		expect((await get('broken-pdf', '2')).status).toBe(500);
	});
});
