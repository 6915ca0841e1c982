import { describe, expect, it } from 'vitest';
import {
	CSS_UNITS,
	ZOOM_STEPS,
	clampPage,
	nextZoomStep
} from '../../src/lib/components/reader/reader-model.ts';
import { loadFailureMessage } from '../../src/lib/components/reader/pdfjs.ts';

describe('nextZoomStep', () => {
	it('steps to the next zoom level in and out from any scale', () => {
		expect(nextZoomStep(1 * CSS_UNITS, 1)).toBeCloseTo(1.1 * CSS_UNITS);
		expect(nextZoomStep(1 * CSS_UNITS, -1)).toBeCloseTo(0.9 * CSS_UNITS);
		// From a fit-width scale between two steps.
		expect(nextZoomStep(1.37 * CSS_UNITS, 1)).toBeCloseTo(1.5 * CSS_UNITS);
		expect(nextZoomStep(1.37 * CSS_UNITS, -1)).toBeCloseTo(1.25 * CSS_UNITS);
	});

	it('stops at the smallest and largest zoom', () => {
		expect(nextZoomStep(ZOOM_STEPS[0] * CSS_UNITS, -1)).toBeCloseTo(ZOOM_STEPS[0] * CSS_UNITS);
		const largest = ZOOM_STEPS[ZOOM_STEPS.length - 1];
		expect(nextZoomStep(largest * CSS_UNITS, 1)).toBeCloseTo(largest * CSS_UNITS);
	});
});

describe('clampPage', () => {
	it('keeps page numbers inside the document', () => {
		expect(clampPage(0, 52)).toBe(1);
		expect(clampPage(7, 52)).toBe(7);
		expect(clampPage(99, 52)).toBe(52);
		expect(clampPage(Number.NaN, 52)).toBe(1);
		expect(clampPage(3.6, 52)).toBe(4);
	});
});

describe('loadFailureMessage', () => {
	const failure = (name: string, status?: number) =>
		Object.assign(new Error('x'), { name, ...(status ? { status } : {}) });

	it('explains a password-protected, a damaged and a missing PDF in words', () => {
		expect(loadFailureMessage(failure('PasswordException'))).toMatch(/password-protected/);
		expect(loadFailureMessage(failure('InvalidPDFException'))).toMatch(/damaged or is not a PDF/);
		expect(loadFailureMessage(failure('ResponseException', 404))).toMatch(/could not be found/);
		expect(loadFailureMessage(failure('ResponseException', 503))).toMatch(/503/);
		expect(loadFailureMessage(new TypeError('fetch failed'))).toMatch(/could not be loaded/);
	});
});
