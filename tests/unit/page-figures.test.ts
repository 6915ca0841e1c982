import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { figuresOfWholePaper, figuresPageByPage } from '../fixtures/page-figures.ts';
import { hasSharedCorpus, SHARED_CORPUS, sharedPapers } from '../fixtures/shared-corpus.ts';

/**
 * Papers of every layout in the corpus; the 30- and 52-page ones are left out for time (name
 * files in `GLASSBOX_FIGURE_PAPERS`, comma-separated, to check those).
 */
const PAPERS = process.env.GLASSBOX_FIGURE_PAPERS
	? process.env.GLASSBOX_FIGURE_PAPERS.split(',')
	: hasSharedCorpus
		? sharedPapers()
				.filter((paper) => paper.pages <= 12)
				.map((paper) => paper.file)
		: [];

describe.skipIf(!hasSharedCorpus)('findPageFigures on real papers', () => {
	it.each(PAPERS)(
		'finds on each page of %s the figures a reading of the whole paper finds, at the same places',
		async (file) => {
			const path = join(SHARED_CORPUS, file);
			expect(await figuresPageByPage(path)).toEqual(await figuresOfWholePaper(path));
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
