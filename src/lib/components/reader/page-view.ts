/**
 * One page of the reader: a canvas rendered at the screen's pixel density with pdf.js's text
 * layer over it. Pages are rendered when they come near the viewport and released (canvas
 * memory freed) when they move far away, so long PDFs keep a flat memory profile.
 */
import type { PDFDocumentProxy, PDFPageProxy, RenderTask, TextLayer } from 'pdfjs-dist';
import type { TextContent } from 'pdfjs-dist/types/src/display/api';
import { rangesByItem, type PageMatch } from './match.ts';

type Pdfjs = typeof import('pdfjs-dist');

/** Canvases above this many pixels are rendered at a lower density instead of failing. */
export const MAX_CANVAS_PIXELS = 16_777_216;

export interface PageViewHost {
	pdfjs: Pdfjs;
	doc: PDFDocumentProxy;
	/** CSS pixels per PDF point. */
	scale(): number;
	/** Device pixels per CSS pixel (devicePixelRatio times the pinch-zoom of the visual viewport). */
	pixelRatio(): number;
	/** Text of the page in the order of its text-layer items, for the matcher. */
	onTextContent(pageNumber: number, content: TextContent): void;
	/** Called once a page's text layer is in the DOM, to mark its matches. */
	onTextLayer(view: PageView): void;
	/** Called with the true size of a page (CSS px at scale 1) once it is known. */
	onSize(pageNumber: number, width: number, height: number): void;
	/** Called with the time a page first showed pixels. */
	onRendered(pageNumber: number): void;
	onError(pageNumber: number, error: unknown): void;
}

export class PageView {
	readonly pageNumber: number;
	readonly #host: PageViewHost;
	#element: HTMLElement | null = null;
	#page: PDFPageProxy | null = null;
	#canvas: HTMLCanvasElement | null = null;
	#textLayerDiv: HTMLElement | null = null;
	#textLayer: TextLayer | null = null;
	#renderTask: RenderTask | null = null;
	/** Scale and density of the bitmap on screen, to skip renders that would change nothing. */
	#renderedAt: { scale: number; pixelRatio: number } | null = null;
	/** Bumped by every render and release, so a stale async step knows it lost. */
	#generation = 0;
	/** A drawing of this page made before the app hydrated, for the next render to take over. */
	#adopted: HTMLCanvasElement | null = null;

	constructor(pageNumber: number, host: PageViewHost) {
		this.pageNumber = pageNumber;
		this.#host = host;
	}

	attach(element: HTMLElement): void {
		this.#element = element;
	}

	/**
	 * Takes over a canvas of this page that the early script drew into its slot: the next render
	 * keeps it when it has the size that render would draw, and otherwise draws over it.
	 */
	adopt(canvas: HTMLCanvasElement): void {
		this.#adopted = canvas;
	}

	/** The adopted canvas, now this page's canvas (in the page's element) unless it has one. */
	#takeAdopted(element: HTMLElement): HTMLCanvasElement | null {
		const adopted = this.#adopted;
		this.#adopted = null;
		if (!adopted || this.#canvas) return null;
		// It was drawn into the box that goes away with the page's JPEG: it moves to the page itself.
		if (adopted.parentElement !== element) element.append(adopted);
		this.#canvas = adopted;
		return adopted;
	}

	get rendered(): boolean {
		return this.#renderedAt !== null;
	}

	get textDivs(): HTMLElement[] {
		return this.#textLayer?.textDivs ?? [];
	}

	get textItems(): string[] {
		return this.#textLayer?.textContentItemsStr ?? [];
	}

	/** Renders (or re-renders at a new scale) the canvas and text layer; cancellations are quiet. */
	async render(): Promise<void> {
		const element = this.#element;
		if (!element) return;
		const scale = this.#host.scale();
		const pixelRatio = this.#host.pixelRatio();
		if (this.#renderedAt?.scale === scale && this.#renderedAt.pixelRatio === pixelRatio) return;
		const generation = ++this.#generation;
		this.#renderTask?.cancel();
		try {
			this.#page ??= await this.#host.doc.getPage(this.pageNumber);
			if (generation !== this.#generation) return;
			const page = this.#page;
			const base = page.getViewport({ scale: 1 });
			this.#host.onSize(this.pageNumber, base.width, base.height);
			const viewport = page.getViewport({ scale });

			const density = Math.min(
				pixelRatio,
				Math.sqrt(MAX_CANVAS_PIXELS / (viewport.width * viewport.height))
			);
			const width = Math.floor(viewport.width * density);
			const height = Math.floor(viewport.height * density);
			const adopted = this.#takeAdopted(element);
			// The early script measured the slot before hydration: a pixel off is the same drawing.
			const drawnEarly =
				adopted !== null &&
				Math.abs(adopted.width - width) <= 1 &&
				Math.abs(adopted.height - height) <= 1;
			if (!drawnEarly) {
				const canvas = document.createElement('canvas');
				canvas.className = 'page-canvas';
				canvas.setAttribute('aria-hidden', 'true');
				canvas.width = width;
				canvas.height = height;
				const task = page.render({
					canvas,
					viewport,
					transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0]
				});
				this.#renderTask = task;
				await task.promise;
				if (generation !== this.#generation) return;
				// Swap the new bitmap in only when complete, so zooming never flashes a blank page.
				this.#canvas?.replaceWith(canvas);
				if (!this.#canvas) element.prepend(canvas);
				this.#releaseCanvas(this.#canvas);
				this.#canvas = canvas;
			}
			this.#renderedAt = { scale, pixelRatio };
			this.#host.onRendered(this.pageNumber);

			const content = await page.getTextContent();
			if (generation !== this.#generation) return;
			this.#host.onTextContent(this.pageNumber, content);
			const textLayerDiv = document.createElement('div');
			textLayerDiv.className = 'textLayer';
			const textLayer = new this.#host.pdfjs.TextLayer({
				textContentSource: content,
				container: textLayerDiv,
				viewport
			});
			await textLayer.render();
			if (generation !== this.#generation) return;
			this.#textLayerDiv?.remove();
			element.append(textLayerDiv);
			this.#textLayerDiv = textLayerDiv;
			this.#textLayer = textLayer;
			this.#host.onTextLayer(this);
		} catch (error) {
			if (isCancellation(error, this.#host.pdfjs)) return;
			this.#host.onError(this.pageNumber, error);
		} finally {
			if (generation === this.#generation) this.#renderTask = null;
		}
	}

	/** Frees the canvas, the text layer and pdf.js's page resources. */
	release(): void {
		this.#generation++;
		this.#renderTask?.cancel();
		this.#renderTask = null;
		this.#textLayer?.cancel();
		this.#textLayer = null;
		this.#textLayerDiv?.remove();
		this.#textLayerDiv = null;
		this.#canvas?.remove();
		this.#releaseCanvas(this.#canvas);
		this.#canvas = null;
		this.#renderedAt = null;
		this.#page?.cleanup();
	}

	/** Marks the page's matches in its text layer; `selected` is the match to emphasise, or -1. */
	highlight(matches: readonly PageMatch[], selected: number): HTMLElement | null {
		const divs = this.textDivs;
		const items = this.textItems;
		let selectedMark: HTMLElement | null = null;
		for (const div of divs) {
			if (div.dataset.marked) {
				div.textContent = items[divs.indexOf(div)] ?? div.textContent;
				delete div.dataset.marked;
			}
		}
		for (const [itemIndex, ranges] of rangesByItem(matches)) {
			const div = divs[itemIndex];
			const text = items[itemIndex];
			if (!div || text === undefined) continue;
			const fragment = document.createDocumentFragment();
			let at = 0;
			for (const range of ranges) {
				if (range.start < at) continue;
				if (range.start > at) fragment.append(text.slice(at, range.start));
				const mark = document.createElement('mark');
				mark.className = range.match === selected ? 'hit selected' : 'hit';
				mark.dataset.match = String(range.match);
				mark.textContent = text.slice(range.start, range.end);
				fragment.append(mark);
				if (range.match === selected && !selectedMark) selectedMark = mark;
				at = range.end;
			}
			if (at < text.length) fragment.append(text.slice(at));
			div.replaceChildren(fragment);
			div.dataset.marked = 'true';
		}
		return selectedMark;
	}

	/** Shrinking a canvas to nothing frees its bitmap at once instead of at garbage collection. */
	#releaseCanvas(canvas: HTMLCanvasElement | null): void {
		if (!canvas) return;
		canvas.width = 0;
		canvas.height = 0;
	}
}

/** A render or text layer stopped on purpose (scrolled away, zoomed): normal, not an error. */
export function isCancellation(error: unknown, pdfjs: Pdfjs): boolean {
	return (
		error instanceof pdfjs.RenderingCancelledException ||
		(error instanceof Error && error.name === 'AbortException')
	);
}
