/**
 * What a page's `Link` header announces (SvelteKit's `preload` option of `resolve`).
 */

/** Pages whose head starts the reader's early script (pdf.js, its worker, the PDF's ranges). */
const EARLY_READER_ROUTES = new Set(['/papers/[id]']);

type PreloadInput = { type: 'font' | 'css' | 'js' | 'asset'; path: string };

/**
 * Everything but the app's JavaScript on a reader's page: over HTTP/1.1 (six connections) the ten
 * modules announced in the `Link` header were sent before the pdf.js module, its worker and the
 * PDF's ranges, which the early script asks for from the head, and hydration waits for the early
 * drawing anyway; the app's modules are then asked for by SvelteKit's script at the end of the body.
 */
export function preloadFor(routeId: string | null): (input: PreloadInput) => boolean {
	if (routeId === null || !EARLY_READER_ROUTES.has(routeId)) return () => true;
	return ({ type }) => type !== 'js';
}
