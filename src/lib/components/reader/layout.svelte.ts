/**
 * Where the reader's pages go and how big they are drawn: the page count, each page's size, the
 * zoom and the page being read. No DOM: the reader binds the size of its viewport into it.
 */
import { CSS_UNITS, clampPage, nextZoomStep } from './reader-model.ts';
import type { PageSize, ZoomMode } from './types.ts';

/** Space between pages and around them, in CSS pixels (the pane's padding, a page's margin). */
export const PAGE_GAP = 12;

/** US Letter, the size assumed for pages while nothing better is known. */
const LETTER: PageSize = [612, 792];

/** The reader's page layout and zoom. */
export class ReaderLayout {
	numPages = $state(0);
	/** Size of each page once pdf.js has measured it; pages not measured yet borrow `defaultSize`. */
	pageSizes = $state.raw<(PageSize | undefined)[]>([]);
	/** Page one's size from the catalog at first, then that of the page the document opened at. */
	defaultSize = $state.raw<PageSize>(LETTER);
	viewportWidth = $state(0);
	viewportHeight = $state(0);
	zoomMode = $state<ZoomMode>('fit-width');
	/** CSS pixels per PDF point in the custom zoom mode. */
	customScale = $state(CSS_UNITS);
	/** Device pixels per CSS pixel: devicePixelRatio times the pinch-zoom of the visual viewport. */
	pixelRatio = $state(1);
	/** The page being read. */
	currentPage = $state(1);
	/** What the page-number box shows: the page being read, or what the reader is typing. */
	pageInput = $state('1');

	constructor(options: { pageCount: number; pageSize: PageSize | null; initialPage: number }) {
		this.numPages = options.pageCount;
		this.defaultSize = options.pageSize ?? LETTER;
		this.currentPage = Math.max(1, options.initialPage);
		this.pageInput = String(this.currentPage);
	}

	/** CSS pixels per PDF point, from the zoom mode and the page being read. */
	readonly scale = $derived.by(() => {
		const [width, height] = this.sizeOf(this.currentPage);
		const availableWidth = Math.max(120, this.viewportWidth - 2 * PAGE_GAP);
		const availableHeight = Math.max(120, this.viewportHeight - 2 * PAGE_GAP);
		if (this.zoomMode === 'fit-width') return Math.min(availableWidth / width, 4 * CSS_UNITS);
		if (this.zoomMode === 'fit-page') {
			return Math.min(availableWidth / width, availableHeight / height);
		}
		return this.customScale;
	});

	/** The zoom as a percentage of the page's printed size. */
	readonly zoomPercent = $derived(Math.round((this.scale / CSS_UNITS) * 100));

	readonly pageNumbers = $derived(Array.from({ length: this.numPages }, (_, i) => i + 1));

	/** The size a page is laid out with: its own once measured, else the estimate. */
	sizeOf(pageNumber: number): PageSize {
		return this.pageSizes[pageNumber - 1] ?? this.defaultSize;
	}

	/** Lays out an opened document: its page count, and the size of its pages until measured. */
	setDocument(numPages: number, pageSize: PageSize): void {
		this.numPages = numPages;
		this.defaultSize = pageSize;
		this.pageSizes = new Array(numPages).fill(undefined);
	}

	/** Records a page's measured size; a size already laid out changes nothing, not even the array. */
	noteSize(pageNumber: number, width: number, height: number): void {
		const known = this.pageSizes[pageNumber - 1];
		if (known && known[0] === width && known[1] === height) return;
		if (!known && width === this.defaultSize[0] && height === this.defaultSize[1]) return;
		const next = this.pageSizes.slice();
		next[pageNumber - 1] = [width, height];
		this.pageSizes = next;
	}

	/** Makes a page (kept inside the document) the one being read, in the page box too. */
	showPage(pageNumber: number): number {
		const target = clampPage(pageNumber, this.numPages);
		this.currentPage = target;
		this.pageInput = String(target);
		return target;
	}

	/** The page number typed into the page box, rounded, or null when it is not a number. */
	typedPage(): number | null {
		const wanted = Number(this.pageInput);
		return Number.isFinite(wanted) ? Math.round(wanted) : null;
	}

	/** Puts the page being read back into the page box (after a typo, or when it loses focus). */
	resetPageInput(): void {
		this.pageInput = String(this.currentPage);
	}

	/** Switches to a zoom mode; `scale` (CSS px per point) sets the custom zoom. */
	zoomTo(mode: ZoomMode, scale?: number): void {
		if (mode === 'custom' && scale) this.customScale = scale;
		this.zoomMode = mode;
	}

	/** One zoom step in or out from the scale on screen, whatever the mode. */
	zoomStep(direction: 1 | -1): void {
		this.zoomTo('custom', nextZoomStep(this.scale, direction));
	}

	/** Applies a value of the zoom menu: a fit mode, or a fraction of 100 %. */
	selectZoom(value: string): void {
		if (value === 'fit-width' || value === 'fit-page') this.zoomTo(value);
		else this.zoomTo('custom', Number(value) * CSS_UNITS);
	}
}
