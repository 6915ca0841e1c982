import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawPageInProcess, PageDrawTimeout } from '../../src/lib/server/page-draw.ts';
import { DRAW_NICENESS } from '../../src/lib/server/page-draw-process.ts';
import {
	MAX_PAGE_IMAGE_PIXELS,
	PAGE_IMAGE_SCALE,
	pageImageScale
} from '../../src/lib/server/page-render.ts';
import { inkOfJpeg } from '../fixtures/ink.ts';
import { A4, giantPage, makePdf, shapesPage, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const dir = mkdtempSync(join(tmpdir(), 'glassbox-page-draw-'));
const write = (name: string, pdf: Buffer) => {
	const path = join(dir, name);
	writeFileSync(path, pdf);
	return path;
};
const giant = write('giant.pdf', makePdf([singleColumnPage(['Page one']), giantPage()]));
const heavy = write('heavy.pdf', makePdf([shapesPage(5_000)]));
const normalLimits = { timeoutMs: 60_000, maxHeapMb: 384 };

describe('pageImageScale', () => {
	it('draws an ordinary page at the reader scale', () => {
		expect(pageImageScale(A4.width, A4.height)).toBe(PAGE_IMAGE_SCALE);
	});

	it.each([
		[14_400, 14_400],
		[14_400, 200],
		[3_000, 4_000]
	])('lowers the scale of a %i × %i pt page so the image stays within the pixel cap', (w, h) => {
		const scale = pageImageScale(w, h);
		expect(scale).toBeLessThan(PAGE_IMAGE_SCALE);
		expect(Math.ceil(w * scale) * Math.ceil(h * scale)).toBeLessThanOrEqual(MAX_PAGE_IMAGE_PIXELS);
		// Not needlessly small: a tenth more would break the cap.
		expect(Math.ceil(w * scale * 1.1) * Math.ceil(h * scale * 1.1)).toBeGreaterThan(
			MAX_PAGE_IMAGE_PIXELS
		);
	});
});

/** The niceness of each thread of process `pid` (Linux), read from /proc. */
function threadNiceness(pid: number | 'self'): number[] {
	return readdirSync(`/proc/${pid}/task`).map((task) => {
		const fields = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1].split(' ');
		return Number(fields[16]);
	});
}

/** The processes this one started (Linux), read from /proc. */
function childProcesses(): number[] {
	return readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.filter((pid) => {
			try {
				return (
					readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] ===
					String(process.pid)
				);
			} catch {
				return false;
			}
		})
		.map(Number);
}

describe('drawPageInProcess', () => {
	it.skipIf(process.platform !== 'linux')(
		'draws in a process all of whose threads have lower priority than the server, which keeps its own',
		async () => {
			const before = new Set(childProcesses());
			const target = join(dir, 'giant.page1.jpg');
			await drawPageInProcess({ pdfPath: giant, pageNumber: 1, target }, normalLimits);
			expect(existsSync(target)).toBe(true);
			// The drawing process stays alive a while for the next page, with its threads as they drew.
			const drawing = childProcesses().filter((pid) => !before.has(pid));
			expect(drawing).toHaveLength(1);
			const threads = threadNiceness(drawing[0]);
			// V8's helper threads (garbage collection, compiling) too: they did half of a draw's work.
			expect(threads.length).toBeGreaterThan(4);
			expect(new Set(threads)).toEqual(new Set([DRAW_NICENESS]));
			expect(new Set(threadNiceness('self'))).toEqual(new Set([0]));
		}
	);

	it.skipIf(!existsSync('/proc/self/autogroup'))(
		'draws in a scheduling group of its own at lower priority, so that it yields to other processes too',
		async () => {
			const before = new Set(childProcesses());
			await drawPageInProcess(
				{ pdfPath: giant, pageNumber: 1, target: join(dir, 'grouped.page1.jpg') },
				// Another heap limit than the test above: a process of its own, not the one it left idle.
				{ ...normalLimits, maxHeapMb: 320 }
			);
			const drawing = childProcesses().filter((pid) => !before.has(pid));
			expect(drawing).toHaveLength(1);
			// "/autogroup-<n> nice <k>": niceness between groups is what counts across sessions.
			const group = (pid: number | 'self') => readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim();
			expect(group(drawing[0])).not.toBe(group('self'));
			expect(group(drawing[0])).toMatch(new RegExp(` nice ${DRAW_NICENESS}$`));
			// A server in a control group of its own is in no autogroup: the file reads empty.
			expect(group('self')).toMatch(/^$| nice 0$/);
		}
	);

	it('draws a 14,400-pt square page as a square image within the pixel cap, text in ink', async () => {
		const target = join(dir, 'giant.page2.jpg');
		await drawPageInProcess({ pdfPath: giant, pageNumber: 2, target }, normalLimits);
		const image = await inkOfJpeg(new Uint8Array(readFileSync(target)));
		expect(image.width * image.height).toBeLessThanOrEqual(MAX_PAGE_IMAGE_PIXELS);
		expect(image.width).toBe(image.height);
		expect(image.width).toBeGreaterThan(1_500);
		expect(image.ink).toBeGreaterThan(0);
	});

	it('kills a draw that runs out of time with PageDrawTimeout, and the next draw still works', async () => {
		const target = join(dir, 'heavy.page1.jpg');
		await expect(
			drawPageInProcess(
				{ pdfPath: heavy, pageNumber: 1, target },
				{ ...normalLimits, timeoutMs: 50 }
			)
		).rejects.toBeInstanceOf(PageDrawTimeout);
		expect(existsSync(target)).toBe(false);
		const next = join(dir, 'giant.page1.jpg');
		await drawPageInProcess({ pdfPath: giant, pageNumber: 1, target: next }, normalLimits);
		expect(existsSync(next)).toBe(true);
	});

	it('fails a draw that needs more memory than its process may have, alone, naming the limit', async () => {
		const target = join(dir, 'starved.jpg');
		await expect(
			drawPageInProcess(
				{ pdfPath: heavy, pageNumber: 1, target },
				{ ...normalLimits, maxHeapMb: 4 }
			)
		).rejects.toThrow(/needs more than 4 MB of memory|drawing stopped/);
		expect(existsSync(target)).toBe(false);
		const next = join(dir, 'after-starved.jpg');
		await drawPageInProcess({ pdfPath: giant, pageNumber: 1, target: next }, normalLimits);
		expect(existsSync(next)).toBe(true);
	});

	it('says why a page that is not in the PDF cannot be drawn', async () => {
		await expect(
			drawPageInProcess(
				{ pdfPath: giant, pageNumber: 9, target: join(dir, 'none.jpg') },
				normalLimits
			)
		).rejects.toThrow(/page/i);
	});
});
