/**
 * What the early head script (early-opening.js) leaves on `window` for the app: the document it
 * started opening and its drawing of the page opened at. Kept apart from pdfjs.ts so that the
 * client hook that waits for the drawing pulls nothing else into the app's entry.
 */
import type { Opening } from './pdfjs.ts';

/** Where the early script leaves the document it started opening. */
export const EARLY_KEY = '__glassboxEarlyOpening';

export type EarlyWindow = Window & { [EARLY_KEY]?: { src: string; opening: Promise<Opening> } };

/**
 * Resolves once the early script has drawn the page opened at (or given up), or after `limitMs`,
 * at once when there is no early script on the page.
 */
export async function earlyDrawingSettled(limitMs: number): Promise<void> {
	const early = (window as EarlyWindow)[EARLY_KEY];
	if (!early) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const limit = new Promise<void>((wake) => (timer = setTimeout(wake, limitMs)));
	const drawn = early.opening.then((opening) => opening.drawn).catch(() => null);
	await Promise.race([drawn, limit]);
	clearTimeout(timer);
}
