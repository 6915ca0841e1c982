/**
 * The code of the reader's early script (see `earlyOpeningScript` in pdfjs.ts). It is the same
 * bytes on every page, its values read from the script element's data attributes, so that
 * svelte.config.js can allow it in the Content-Security-Policy by one fixed hash.
 *
 * It opens the document and, unless the page will be read as text, draws the page opened at
 * into that page's `.early-drawing` box in the server's markup (over its JPEG) as soon as pdf.js can, without
 * waiting for the app to download and hydrate; the reader adopts that canvas (`PageView.adopt`).
 * The canvas matches what the reader draws: fit-width of the slot, at the screen's density,
 * capped as in page-view.ts and layout.svelte.ts. A deep link also brings the reader into view
 * once the page is parsed, as PdfReader does after hydration, which may now wait for the drawing.
 */
export const EARLY_OPENING_CODE = `(() => {
const data = document.currentScript.dataset;
const pageNumber = Number(data.page);
const worker = new Worker(data.worker, { type: 'module' });
const readsAsText = () => {
	if (data.textView !== 'true') return false;
	let chosen;
	try {
		chosen = JSON.parse(localStorage.getItem(data.modesKey) || '{}')[pageNumber];
	} catch {}
	return chosen ? chosen === 'text' : window.innerWidth <= Number(data.narrowScreen);
};
const parsed = () =>
	document.readyState === 'loading'
		? new Promise((done) => document.addEventListener('DOMContentLoaded', done, { once: true }))
		: null;
const draw = async (task) => {
	if (readsAsText()) return null;
	const doc = await task.promise;
	performance.mark('reader:document-loaded');
	if (pageNumber > doc.numPages) return null;
	const page = await doc.getPage(pageNumber);
	await parsed();
	const slot = document.querySelector('.reader .page[data-page="' + pageNumber + '"] .early-drawing');
	if (!slot || !slot.clientWidth) return null;
	const base = page.getViewport({ scale: 1 });
	if (Math.abs(base.width / base.height - slot.clientWidth / slot.clientHeight) > 0.01) return null;
	const scale = Math.min(slot.clientWidth / base.width, Number(data.maxScale));
	const pinch = window.visualViewport ? window.visualViewport.scale : 1;
	const pixelRatio = Math.min(8, (window.devicePixelRatio || 1) * Math.max(1, pinch));
	const viewport = page.getViewport({ scale });
	const density = Math.min(pixelRatio, Math.sqrt(Number(data.maxPixels) / (viewport.width * viewport.height)));
	const canvas = document.createElement('canvas');
	canvas.className = 'page-canvas';
	canvas.setAttribute('aria-hidden', 'true');
	canvas.width = Math.floor(viewport.width * density);
	canvas.height = Math.floor(viewport.height * density);
	await page.render({ canvas, viewport, transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0] }).promise;
	slot.append(canvas);
	performance.mark('reader:first-page', { detail: { page: pageNumber } });
	return { pageNumber, canvas };
};
if (data.reveal === 'true') {
	Promise.resolve(parsed()).then(() => document.querySelector('.reader')?.scrollIntoView({ block: 'start' }));
}
const opening = import(data.library).then((module) => {
	performance.mark('reader:pdfjs-loaded');
	module.GlobalWorkerOptions.workerPort = worker;
	const task = module.getDocument({ url: data.src, ...JSON.parse(data.options) });
	return { module, task, drawn: draw(task).catch(() => null) };
});
opening.catch(() => {});
window[data.key] = { src: data.src, opening };
})();`;
