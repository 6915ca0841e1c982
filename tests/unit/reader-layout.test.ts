import { describe, expect, it } from 'vitest';
import { PAGE_GAP, ReaderLayout } from '../../src/lib/components/reader/layout.svelte.ts';
import { CSS_UNITS, ZOOM_STEPS } from '../../src/lib/components/reader/reader-model.ts';

const A4: [number, number] = [595, 842];
const A4_LANDSCAPE: [number, number] = [842, 595];

/** A 12-page A4 document laid out in a pane of the given size. */
function layoutOf(viewportWidth: number, viewportHeight: number, initialPage = 1): ReaderLayout {
	const layout = new ReaderLayout({ pageCount: 12, pageSize: A4, initialPage });
	layout.viewportWidth = viewportWidth;
	layout.viewportHeight = viewportHeight;
	return layout;
}

describe('ReaderLayout', () => {
	describe('zoom', () => {
		it('fits the page to the width of the pane, less the gap on each side', () => {
			const layout = layoutOf(800, 600);
			expect(layout.scale).toBeCloseTo((800 - 2 * PAGE_GAP) / A4[0]);
			expect(layout.zoomPercent).toBe(Math.round(((800 - 2 * PAGE_GAP) / A4[0] / CSS_UNITS) * 100));
		});

		it('stops fitting the width at 400 % on a very wide pane', () => {
			expect(layoutOf(6000, 600).zoomPercent).toBe(400);
		});

		it('fits the whole page in the pane in fit-page mode', () => {
			const layout = layoutOf(800, 600);
			layout.zoomTo('fit-page');
			expect(layout.scale).toBeCloseTo((600 - 2 * PAGE_GAP) / A4[1]);
			expect(Math.floor(A4[1] * layout.scale)).toBeLessThanOrEqual(600 - 2 * PAGE_GAP);
		});

		it('zooms in from fit width to the next step above what is on screen', () => {
			const layout = layoutOf(800, 600);
			const fitted = layout.zoomPercent;
			layout.zoomStep(1);
			expect(layout.zoomMode).toBe('custom');
			const expected = ZOOM_STEPS.find((zoom) => zoom * 100 > fitted + 0.5)!;
			expect(layout.zoomPercent).toBe(Math.round(expected * 100));
			layout.zoomStep(-1);
			layout.zoomStep(-1);
			expect(layout.zoomPercent).toBeLessThan(fitted);
		});

		it('applies the zoom menu: a percentage, or back to a fit mode', () => {
			const layout = layoutOf(800, 600);
			layout.selectZoom('1.5');
			expect(layout.zoomMode).toBe('custom');
			expect(layout.zoomPercent).toBe(150);
			layout.selectZoom('fit-width');
			expect(layout.scale).toBeCloseTo((800 - 2 * PAGE_GAP) / A4[0]);
		});

		it('does not change with the pane in a custom zoom', () => {
			const layout = layoutOf(800, 600);
			layout.selectZoom('2');
			layout.viewportWidth = 400;
			expect(layout.zoomPercent).toBe(200);
		});
	});

	describe('page sizes', () => {
		it('lays every page out at the size of the page opened at until pdf.js measures it', () => {
			const layout = layoutOf(800, 600);
			layout.setDocument(12, A4);
			layout.noteSize(5, ...A4_LANDSCAPE);
			expect(layout.sizeOf(5)).toEqual(A4_LANDSCAPE);
			expect(layout.sizeOf(4)).toEqual(A4);
			expect(layout.sizeOf(12)).toEqual(A4);
		});

		it('fits the width of the page being read, landscape or not', () => {
			const layout = layoutOf(800, 600);
			layout.setDocument(12, A4);
			layout.noteSize(5, ...A4_LANDSCAPE);
			layout.showPage(5);
			expect(layout.scale).toBeCloseTo((800 - 2 * PAGE_GAP) / A4_LANDSCAPE[0]);
		});

		it('uses Letter for a paper whose size the catalog does not know', () => {
			const layout = new ReaderLayout({ pageCount: 3, pageSize: null, initialPage: 1 });
			expect(layout.sizeOf(2)).toEqual([612, 792]);
		});
	});

	describe('the page being read', () => {
		it('keeps pages asked for inside the document, in the page box too', () => {
			const layout = layoutOf(800, 600);
			expect(layout.showPage(99)).toBe(12);
			expect(layout.pageInput).toBe('12');
			expect(layout.showPage(0)).toBe(1);
			expect(layout.currentPage).toBe(1);
		});

		it('reads a typed page number, and puts the page being read back after a typo', () => {
			const layout = layoutOf(800, 600, 4);
			layout.pageInput = '7';
			expect(layout.typedPage()).toBe(7);
			layout.pageInput = 'seven';
			expect(layout.typedPage()).toBeNull();
			layout.resetPageInput();
			expect(layout.pageInput).toBe('4');
		});

		it('starts at the page a link opens at, never before page one', () => {
			expect(layoutOf(800, 600, 6).currentPage).toBe(6);
			expect(layoutOf(800, 600, -3).pageInput).toBe('1');
		});
	});
});
