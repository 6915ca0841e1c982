import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import { findPageFigures } from '../../src/lib/pdf/page-figures.ts';
import { loadPdfjs } from '../../src/lib/server/page-render.ts';
import type { PageFigure } from '../../src/lib/types.ts';
import { hasSharedCorpus, SHARED_CORPUS, sharedPapers } from '../fixtures/shared-corpus.ts';

/** Papers of every layout in the corpus; the 30- and 52-page ones are left out for time. */
const PAPERS = (process.env.GLASSBOX_FIGURE_PAPERS ?? '')
	.split(',')
	.filter(Boolean)
	.concat(
		process.env.GLASSBOX_FIGURE_PAPERS
			? []
			: sharedPapers()
					.filter((paper) => paper.pages <= 12)
					.map((paper) => paper.file)
	);

/** The figures of every page as the ingest's extraction finds them, all pages in one pass. */
async function ingestFigures(path: string): Promise<PageFigure[][]> {
	const result = await extractPdf(path, { maxBytes: 50 * 1024 * 1024, maxPages: 100 });
	if (!result.ok) throw new Error(result.reason);
	return result.figures;
}

/** The figures of every page found one page at a time, as the server finds them on demand. */
async function figuresPageByPage(path: string): Promise<PageFigure[][]> {
	const pdfjs = await loadPdfjs();
	const doc = await pdfjs.getDocument({
		data: new Uint8Array(readFileSync(path)),
		useSystemFonts: false,
		isEvalSupported: false,
		disableFontFace: true,
		verbosity: pdfjs.VerbosityLevel.ERRORS
	}).promise;
	try {
		const figures: PageFigure[][] = [];
		for (let page = 1; page <= doc.numPages; page++) {
			figures.push(await findPageFigures(doc, page, pdfjs));
		}
		return figures;
	} finally {
		await doc.destroy();
	}
}

describe.skipIf(!hasSharedCorpus)('findPageFigures on real papers', () => {
	it.each(PAPERS)(
		'finds on each page of %s the figures the whole-paper reading finds, at the same places',
		async (file) => {
			const path = join(SHARED_CORPUS, file);
			const expected = await ingestFigures(path);
			expect(await figuresPageByPage(path)).toEqual(expected);
		},
		120_000
	);

	it('compares papers that have figures placed after the start of their page', async () => {
		const path = join(SHARED_CORPUS, 'pdf/jin-2022-evaluating-xai-multimodal.pdf');
		const figures = (await figuresPageByPage(path)).flat();
		expect(figures.length).toBeGreaterThan(1);
		expect(figures.some((figure) => figure.at > 0)).toBe(true);
	}, 120_000);
});
