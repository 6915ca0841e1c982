/**
 * The code of the reader's early script (see `earlyOpeningScript` in pdfjs.ts). It is the same
 * bytes on every page, its values read from the script element's data attributes, so that
 * svelte.config.js can allow it in the Content-Security-Policy by one fixed hash.
 */
export const EARLY_OPENING_CODE =
	'(() => {' +
	'const data = document.currentScript.dataset;' +
	"const worker = new Worker(data.worker, { type: 'module' });" +
	'const opening = import(data.library).then((module) => {' +
	"performance.mark('reader:pdfjs-loaded');" +
	'module.GlobalWorkerOptions.workerPort = worker;' +
	'return { module, task: module.getDocument({ url: data.src, ...JSON.parse(data.options) }) };' +
	'});' +
	'opening.catch(() => {});' +
	'window[data.key] = { src: data.src, opening };' +
	'})();';
