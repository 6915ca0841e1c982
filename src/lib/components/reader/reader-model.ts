/** Small pure pieces of the reader's state: zoom steps and page bounds. */

/** CSS pixels per PDF point at 100 % (96 dpi screen, 72 dpi PDF). */
export const CSS_UNITS = 96 / 72;

/** Zoom levels offered, as fractions of 100 %. */
export const ZOOM_STEPS = [0.5, 0.67, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3, 4] as const;

/** A page number within `1..pageCount` (1 while the count is unknown). */
export function clampPage(pageNumber: number, pageCount: number): number {
	if (!Number.isFinite(pageNumber)) return 1;
	return Math.min(Math.max(1, Math.round(pageNumber)), Math.max(1, pageCount));
}

/** The scale one zoom step in or out from `scale` (CSS px per point), stopping at the ends. */
export function nextZoomStep(scale: number, direction: 1 | -1): number {
	const zoom = scale / CSS_UNITS;
	const steps = direction === 1 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
	const next = steps.find((step) => (direction === 1 ? step > zoom + 0.005 : step < zoom - 0.005));
	return (next ?? steps[steps.length - 1]) * CSS_UNITS;
}
