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
 *
 * It reads the PDF through its own byte ranges (a `PDFDataRangeTransport`, the size known from
 * the catalog), asking for the first and the last two chunks the moment it runs, in parallel and
 * while pdf.js is still loading: pdf.js alone starts only once loaded, with a whole-file request
 * it aborts for the length, then the header, the trailer and the cross-reference data, each
 * waiting for the one before (EUCA p. 14: five requests in a row before the page's own objects).
 */
export const EARLY_OPENING_CODE = `(() => {
performance.mark('reader:early-script');
const data = document.currentScript.dataset;
const pageNumber = Number(data.page);
const worker = new Worker(data.worker, { type: 'module' });
// pdf.js's worker says "ready" first, once its 1.2 MB module has loaded (bench:reader's timeline).
worker.addEventListener('message', () => performance.mark('reader:worker-ready'), { once: true });
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
	performance.mark('reader:page-loaded');
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
	performance.mark('reader:render-start', { detail: { pixels: canvas.width * canvas.height, scale } });
	await page.render({ canvas, viewport, transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0] }).promise;
	slot.append(canvas);
	performance.mark('reader:first-page', { detail: { page: pageNumber } });
	return { pageNumber, canvas };
};
if (data.reveal === 'true') {
	Promise.resolve(parsed()).then(() => document.querySelector('.reader')?.scrollIntoView({ block: 'start' }));
}
const options = JSON.parse(data.options);
const size = Number(data.bytes);
const fetchRange = (begin, end) =>
	fetch(data.src, { headers: { Range: 'bytes=' + begin + '-' + (end - 1) } }).then((response) => {
		if (response.status !== 206) throw new Error('PDF ranges refused: ' + response.status);
		return response.arrayBuffer();
	});
// The first chunk (the header) and the last two (trailer and cross-reference data), which pdf.js
// reads one after another before anything else, asked for at once while pdf.js itself loads.
const chunk = options.rangeChunkSize;
const tail = Math.max(chunk, (Math.ceil(size / chunk) - 2) * chunk);
const prefetched = (size > 0 ? [[0, Math.min(chunk, size)]].concat(tail < size ? [[tail, size]] : []) : [])
	.map(([begin, end]) => ({ begin, end, bytes: fetchRange(begin, end) }));
prefetched.forEach((part) => part.bytes.catch(() => {}));
const rangedOpening = (module) => {
	const transport = new module.PDFDataRangeTransport(size, null);
	const task = module.getDocument({ range: transport, ...options });
	transport.requestDataRange = (begin, end) => {
		const part = prefetched.find((p) => p.begin <= begin && end <= p.end);
		const bytes = part
			? part.bytes.then((all) => all.slice(begin - part.begin, end - part.begin), () => fetchRange(begin, end))
			: fetchRange(begin, end);
		bytes.then((buffer) => transport.onDataRange(begin, new Uint8Array(buffer)), () => task.destroy());
	};
	return task;
};
const opening = import(data.library).then(async (module) => {
	performance.mark('reader:pdfjs-loaded');
	module.GlobalWorkerOptions.workerPort = worker;
	// Without the first chunk (ranges refused, no size known) pdf.js opens the URL itself, and
	// reports what went wrong as it does.
	const ranged = prefetched.length > 0 && (await prefetched[0].bytes.then(() => true, () => false));
	const task = ranged ? rangedOpening(module) : module.getDocument({ url: data.src, ...options });
	return { module, task, drawn: draw(task).catch(() => null) };
});
opening.catch(() => {});
window[data.key] = { src: data.src, opening };
})();`;
