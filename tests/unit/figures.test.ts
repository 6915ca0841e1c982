import { join } from 'node:path';
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import { findFigureBoxes, type OperatorListLike } from '../../src/lib/pdf/figures.ts';
import { textViewBlocks } from '../../src/lib/components/reader/text-view.ts';
import { figuresPageByPage } from '../fixtures/page-figures.ts';
import { hasSharedCorpus, SHARED_CORPUS } from '../fixtures/shared-corpus.ts';

/** An operator list from `[op, args]` pairs. */
function operatorList(...ops: [number, unknown[] | null][]): OperatorListLike {
	return { fnArray: ops.map(([fn]) => fn), argsArray: ops.map(([, args]) => args) };
}

/** An image painted at `[x, y]` with size `[width, height]` (the unit square scaled by `cm`). */
const image = (x: number, y: number, width: number, height: number): [number, unknown[]][] => [
	[OPS.save, []],
	[OPS.transform, [width, 0, 0, height, x, y]],
	[OPS.paintImageXObject, ['img', 10, 10]],
	[OPS.restore, []]
];

/** A chart's x axis: a line under its bars that joins them into one drawing. */
const axis = (x: number, y: number, width: number): [number, unknown[]] => [
	OPS.constructPath,
	[OPS.stroke, [null], [x, y, x + width, y]]
];

/** A filled rectangle (a shape of a chart). */
const rectangle = (x: number, y: number, width: number, height: number): [number, unknown[]] => [
	OPS.constructPath,
	[OPS.fill, [null], [x, y, x + width, y + height]]
];

const LETTER = [0, 0, 612, 792];

describe('findFigureBoxes', () => {
	it('finds a photograph where its transform puts it, and ignores a small logo', () => {
		const boxes = findFigureBoxes(
			operatorList(...image(300, 400, 250, 200), ...image(40, 740, 30, 30)),
			OPS,
			LETTER
		);
		expect(boxes).toEqual([{ x0: 300, y0: 400, x1: 550, y1: 600 }]);
	});

	it('keeps only the part of an image its clip shows', () => {
		const boxes = findFigureBoxes(
			operatorList(
				[OPS.save, []],
				[OPS.clip, []],
				[OPS.constructPath, [OPS.endPath, [null], [300, 400, 550, 500]]],
				...image(100, 300, 600, 400),
				[OPS.restore, []]
			),
			OPS,
			LETTER
		);
		expect(boxes).toEqual([{ x0: 300, y0: 400, x1: 550, y1: 500 }]);
	});

	it('gathers the shapes of a chart into one figure, but not the rules of a table', () => {
		const bars = Array.from({ length: 6 }, (_, index) =>
			rectangle(100 + index * 40, 300, 30, 50 + index * 20)
		);
		const rules = [0, 20, 140].map((dy) => rectangle(80, 100 + dy, 400, 0.5));
		const boxes = findFigureBoxes(operatorList(...bars, axis(96, 298, 240), ...rules), OPS, LETTER);
		expect(boxes).toEqual([{ x0: 96, y0: 298, x1: 336, y1: 450 }]);
	});

	it('takes the small labels printed beside a chart into its box, not the prose below', () => {
		const bars = Array.from({ length: 4 }, (_, index) => rectangle(100 + index * 40, 300, 30, 80));
		const label = { text: '0.5', x0: 80, x1: 95, y: 340, size: 7 };
		const prose = { text: 'as the results show.', x0: 100, x1: 200, y: 290, size: 10 };
		const body = { text: 'x'.repeat(200), x0: 72, x1: 540, y: 600, size: 10 };
		const boxes = findFigureBoxes(operatorList(...bars, axis(100, 299, 150)), OPS, LETTER, [
			label,
			prose,
			body
		]);
		expect(boxes).toHaveLength(1);
		expect(boxes[0].x0).toBe(80);
		expect(boxes[0].y0).toBe(299);
	});

	it('finds nothing on a page of text and a page-sized background', () => {
		expect(findFigureBoxes(operatorList(rectangle(0, 0, 612, 792)), OPS, LETTER)).toEqual([]);
	});
});

describe.skipIf(!hasSharedCorpus)(
	'figures of a real paper (jin-2022, AAAI two columns)',
	async () => {
		const path = join(SHARED_CORPUS, 'pdf/jin-2022-evaluating-xai-multimodal.pdf');
		const result = hasSharedCorpus
			? await extractPdf(path, { maxBytes: 50 * 1024 * 1024, maxPages: 100 })
			: null;
		if (result && !result.ok) throw new Error(result.reason);
		const pages = result?.ok ? result.pages : [];
		// As the server finds them: page by page, placed in the ingest's page texts.
		const figures = hasSharedCorpus ? await figuresPageByPage(path) : [];

		it('finds the full-width figure at the top of page 5 and reads it first', () => {
			expect(figures[4]).toHaveLength(1);
			const [figure] = figures[4];
			expect(figure.y).toBeLessThan(0.1);
			expect(figure.width).toBeGreaterThan(0.75);
			expect(figure.height).toBeGreaterThan(0.15);
			expect(figure.height).toBeLessThan(0.3);
			expect(figure.pageAspect).toBeCloseTo(792 / 612, 3);
			expect(figure.at).toBe(0);
			// Its caption follows it in the page text, below its labels.
			expect(pages[4].indexOf('Figure 2: Two proposed computational')).toBeGreaterThan(figure.at);
		});

		it('finds the figure in the right column of page 3 and places it before its caption', () => {
			expect(figures[2]).toHaveLength(1);
			const [figure] = figures[2];
			expect(figure.x).toBeGreaterThan(0.5);
			expect(figure.x + figure.width).toBeLessThanOrEqual(1);
			expect(figure.y).toBeGreaterThan(0.2);
			expect(figure.y + figure.height).toBeLessThan(0.6);
			expect(pages[2].slice(figure.at)).toMatch(/^Figure 1: 3D heatmap/);
			expect(pages[2].slice(0, figure.at)).toMatch(/in the Appendix\. $/);
		});

		it("leaves the labels printed inside a chart out of the text view, not out of the page's text", () => {
			const [figure] = figures[4];
			const labels = figure.labels.map(({ start, end }) => pages[4].slice(start, end));
			expect(labels.join(' ')).toMatch(/^Modality Importance \(MI\) Correlation/);
			const blocks = textViewBlocks(pages[4], figures[4], []);
			const shown = blocks.flatMap((block) =>
				block.kind === 'paragraph' ? [block.runs.map((run) => run.text).join('')] : []
			);
			// The figure comes first, its caption right after it: no label between them.
			expect(blocks[0].kind).toBe('figure');
			expect(shown[0]).toMatch(/^Figure 2: Two proposed computational/);
			expect(shown.join(' ')).not.toContain('Modality Importance (MI) Correlation');
			expect(pages[4]).toContain('Modality Importance (MI) Correlation');
			// The rest of the page is all there: only the labels' characters are missing.
			const labelChars = labels.join('').replace(/\s/g, '').length;
			const shownChars = shown.join('').replace(/\s/g, '').length;
			expect(shownChars + labelChars).toBe(pages[4].replace(/\s/g, '').length);
		});

		it('keeps the words of a figure of photographs without labels', () => {
			expect(figures[2][0].labels).toEqual([]);
		});

		it('finds no figure on pages without one', () => {
			expect(figures[0]).toEqual([]);
			expect(figures[1]).toEqual([]);
			expect(figures).toHaveLength(pages.length);
		});
	}
);
