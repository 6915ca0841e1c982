/**
 * Loads pdf.js's legacy build (and its worker module, which Node runs in the calling thread)
 * without letting it slow down everything else. The build carries core-js, which replaces
 * `Array.prototype.push`, `JSON.parse` and `JSON.stringify` process-wide with script versions
 * although Node's own are correct for pdf.js; the script `push` alone took about a tenth of
 * extraction time (CPU profile of the ingest), so the built-ins are put back once pdf.js is loaded.
 *
 * Plain JavaScript so that the extraction worker's entry can load it before tsx is registered.
 */

/** @type {Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | null} */
let loading = null;

/**
 * pdf.js for Node, loaded once per thread with Node's own built-ins kept.
 * @returns {Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')>}
 */
export function importPdfjs() {
	loading ??= (async () => {
		const push = Object.getOwnPropertyDescriptor(Array.prototype, 'push');
		const parse = Object.getOwnPropertyDescriptor(JSON, 'parse');
		const stringify = Object.getOwnPropertyDescriptor(JSON, 'stringify');
		// core-js reads an Error's stack as pdf.js loads; under tsx, with source maps on, that
		// parsed the bundle's 2.4 MB source map first: 0.17 s of each extraction thread's start.
		const sourceMaps = process.sourceMapsEnabled;
		process.setSourceMapsEnabled(false);
		try {
			const [pdfjs, worker] = await Promise.all([
				import('pdfjs-dist/legacy/build/pdf.mjs'),
				// @ts-expect-error the worker module ships without type declarations
				/** @type {Promise<unknown>} */ (import('pdfjs-dist/legacy/build/pdf.worker.mjs'))
			]);
			// pdf.js finds its worker module here instead of importing it again on first use.
			/** @type {{ pdfjsWorker?: unknown }} */ (globalThis).pdfjsWorker ??= worker;
			return pdfjs;
		} finally {
			if (push) Object.defineProperty(Array.prototype, 'push', push);
			if (parse) Object.defineProperty(JSON, 'parse', parse);
			if (stringify) Object.defineProperty(JSON, 'stringify', stringify);
			process.setSourceMapsEnabled(sourceMaps);
		}
	})();
	return loading;
}

/**
 * How the ingest opens a PDF to read its text: no system fonts, no `eval`, no font faces (text
 * needs none), and past errors in a page's content rather than stopped by them. bench:ingest
 * reads with the very same options for its pdf.js baseline.
 */
export const textReadingOptions = Object.freeze({
	useSystemFonts: false,
	isEvalSupported: false,
	disableFontFace: true,
	stopAtErrors: false
});
