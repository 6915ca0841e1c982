import { createHash } from 'node:crypto';
import {
	mkdirSync,
	mkdtempSync,
	readFileSync,
	statSync,
	symlinkSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pageFiguresStorePath, pdfStoreDir, pdfStorePath } from '../../src/lib/server/data-dir.ts';
import { FIGURES_VERSION, pageFiguresResponse } from '../../src/lib/server/page-figures.ts';
import { Store } from '../../src/lib/server/store.ts';
import type { PageFigure } from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { figuresOfWholePaper } from '../fixtures/page-figures.ts';
import { makePaper } from '../fixtures/paper.ts';
import { hasSharedCorpus, SHARED_CORPUS } from '../fixtures/shared-corpus.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-page-figures-'));
mkdirSync(pdfStoreDir(dataDir), { recursive: true });

/** A paper whose stored PDF is `pdf` (a link to a corpus file, or bytes written in place). */
function storedPaper(id: string, pdf: { link: string } | { bytes: Uint8Array }, pageCount: number) {
	const bytes = 'link' in pdf ? readFileSync(pdf.link) : pdf.bytes;
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	if ('link' in pdf) symlinkSync(pdf.link, pdfStorePath(dataDir, sha256));
	else writeFileSync(pdfStorePath(dataDir, sha256), pdf.bytes);
	return makePaper({ id, pdf: { sha256, bytes: bytes.length, pageCount, origin: 'local' } });
}

const TWO_COLUMN = join(SHARED_CORPUS, 'pdf/jin-2022-evaluating-xai-multimodal.pdf');
const papers = [
	storedPaper('broken', { bytes: new TextEncoder().encode('%PDF-1.4\nnot a PDF at all') }, 2),
	...(hasSharedCorpus ? [storedPaper('two-column', { link: TWO_COLUMN }, 11)] : [])
];
const store = new Store(dataDir, 'test-build', makeCatalog(papers), null as never);

const get = (id: string, page: string, headers: HeadersInit = {}) =>
	pageFiguresResponse(
		new Request(`http://localhost/papers/${id}/figures/${page}.json`, { headers }),
		store,
		id,
		page
	);

describe.skipIf(!hasSharedCorpus)('the figures of a page, found by the server', () => {
	const sha256 = papers[1]?.pdf?.sha256 ?? '';
	const kept = (page: number) => pageFiguresStorePath(dataDir, sha256, page, FIGURES_VERSION);

	it("answers a page's figures as the whole-paper reading finds them, and keeps them", async () => {
		const expected = await figuresOfWholePaper(TWO_COLUMN);
		const response = await get('two-column', '3');
		expect(response.status).toBe(200);
		const figures = (await response.json()) as PageFigure[];
		expect(figures).toEqual(expected[2]);
		expect(figures).toHaveLength(1);
		// Kept beside the PDF: asked again, the page is not read again.
		const written = statSync(kept(3)).mtimeMs;
		expect(await (await get('two-column', '3')).json()).toEqual(expected[2]);
		expect(statSync(kept(3)).mtimeMs).toBe(written);
		expect(await (await get('two-column', '1')).json()).toEqual([]);
	}, 60_000);

	it('answers 304 to a browser that holds the figures', async () => {
		const etag = (await get('two-column', '3')).headers.get('ETag')!;
		expect(etag).toBe(`"${sha256}-page3-figures-v${FIGURES_VERSION}"`);
		expect((await get('two-column', '3', { 'If-None-Match': etag })).status).toBe(304);
	}, 60_000);
});

describe('the figures of a page that cannot be had', () => {
	it('answers 404 for a page the paper does not have, and 500 naming a page that cannot be read', async () => {
		expect((await get('broken', '3')).status).toBe(404);
		expect((await get('nobody', '1')).status).toBe(404);
		const response = await get('broken', '1');
		expect(response.status).toBe(500);
		expect(await response.text()).toMatch(
			/^Page 1 of the paper "broken" could not be read for figures/
		);
	}, 60_000);
});
