/**
 * The reader's document and what it shows of it: opening the PDF (taking over what the page's
 * head script started), a `PageView` per page rendered only while near the view, scrolling to a
 * page, zoom that keeps the place being read, the outline and the keyboard. The layout and the
 * find bar are state classes of their own, owned here.
 */
import { tick, untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { FindState, type MatchSource, type TextSource } from './find.svelte.ts';
import { PAGE_GAP, ReaderLayout } from './layout.svelte.ts';
import { PageView, isCancellation, type PageViewHost } from './page-view.ts';
import { closeDocument, loadFailureMessage, type Opening, type Pdfjs } from './pdfjs.ts';
import { ReadingModes, type ReadingMode } from './reading-modes.svelte.ts';
import { clampPage } from './reader-model.ts';
import type { OutlineEntry, PagePreview, ReaderStatus } from './types.ts';
import type { PageFigure, PaperTexts } from '../../types.ts';

/** What a reader starts from: the component's props, read once (a new paper is a new reader). */
export interface ReaderOptions {
	src: string | null;
	/** URL of the indexed text of every page (`{ pages: string[] }`), or null when there is none. */
	textSrc: string | null;
	pageCount: number | null;
	preview: PagePreview | null;
	initialPage: number;
	query: string;
	/** What the search engine matched for `query` in this paper, and how to ask it about others. */
	matches?: MatchSource;
	/** Id of the page-number box, which scrolling leaves alone while the reader types in it. */
	pageInputId: string;
}

/** Device pixels per CSS pixel, the pinch-zoom of the visual viewport included. */
function currentPixelRatio(): number {
	const pinch = window.visualViewport?.scale ?? 1;
	return Math.min(8, (window.devicePixelRatio || 1) * Math.max(1, pinch));
}

/** The state of one reader: its document, its pages and how they are shown. */
export class ReaderState {
	readonly layout: ReaderLayout;
	readonly find: FindState;
	/** Which pages are read as text rather than as the PDF page. */
	readonly modes: ReadingModes;
	/** The indexed text of each page, once fetched (for text views and the find scan). */
	pageTexts = $state.raw<string[] | null>(null);
	/** The figures of the pages whose figures have come, by page number (see `loadFigures`). */
	readonly pageFigures = new SvelteMap<number, PageFigure[]>();
	/** The indexed text could not be fetched: every page is shown as the PDF page. */
	textsFailed = $state(false);
	readonly textSrc: string | null;
	/** URL of a page's JPEG drawn by the server, or null without previews. */
	readonly pageImageUrl: ((pageNumber: number) => string) | null;
	/** URL of a page's figures found by the server, or null without them. */
	readonly figuresUrl: ((pageNumber: number) => string) | null;
	status = $state<ReaderStatus>('loading');
	errorMessage = $state('');
	/** False until hydrated: the server's markup sizes pages in CSS, as no width is measured yet. */
	mounted = $state(false);
	/** The page opened at, whose JPEG is shown until pdf.js has drawn the page over it. */
	readonly previewPage: number;
	readonly previewSrc: string | null;
	previewShown = $state(false);
	outline = $state.raw<OutlineEntry[]>([]);
	outlineOpen = $state(false);
	/** The reader's element and its scrolling pane of pages, bound by the component. */
	element = $state<HTMLElement | null>(null);
	scroller = $state<HTMLElement | null>(null);

	readonly #initialPage: number;
	readonly #pageInputId: string;
	#pdfjs: Pdfjs | null = null;
	#doc: PDFDocumentProxy | null = null;
	#views: PageView[] = [];
	// Bookkeeping for the observer and renders, never read by the markup: plain collections on purpose.
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #pageElements = new Map<number, HTMLElement>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #nearPages = new Set<number>();
	// eslint-disable-next-line svelte/prefer-svelte-reactivity
	readonly #figuresLoading = new Map<number, Promise<void>>();
	/** The last figures request queued: the next one waits for it (see `loadFigures`). */
	#figuresTurn: Promise<void> = Promise.resolve();
	#observer: IntersectionObserver | null = null;
	#firstRenderMarked = false;
	/** The early script marked `reader:first-page` when it drew the page opened at. */
	#firstPageMarked = false;
	#scaleAnchor: { page: number; within: number } | null = null;
	#scrollFrame = 0;
	#textsLoading: Promise<string[] | null> | null = null;

	constructor(options: ReaderOptions) {
		const { src, pageCount, preview, initialPage } = options;
		this.#initialPage = initialPage;
		this.#pageInputId = options.pageInputId;
		this.status = src ? 'loading' : 'none';
		this.layout = new ReaderLayout({
			pageCount: pageCount ?? 0,
			pageSize: preview ? [preview.width, preview.height] : null,
			initialPage
		});
		this.previewPage = clampPage(initialPage, pageCount ?? 1);
		this.previewSrc = preview?.pageUrl(this.previewPage) ?? null;
		this.previewShown = preview !== null;
		this.textSrc = options.textSrc;
		this.pageImageUrl = preview?.pageUrl ?? null;
		this.figuresUrl = preview?.figuresUrl ?? null;
		this.modes = new ReadingModes(
			src ?? '',
			typeof localStorage === 'undefined' ? null : localStorage
		);
		this.find = new FindState(
			{
				pageCount: () => this.layout.numPages,
				currentPage: () => this.layout.currentPage,
				isNear: (pageNumber) => this.#nearPages.has(pageNumber),
				revealPage: (pageNumber) => this.#revealPage(pageNumber),
				goToPage: (pageNumber) => this.scrollToPage(pageNumber),
				revealMark: (mark) => this.#revealMark(mark),
				isCancellation: (error) => this.#pdfjs !== null && isCancellation(error, this.#pdfjs)
			},
			options.query,
			options.matches
		);

		// Any change of scale (zoom, fit width on a resize) keeps the place being read in view.
		$effect.pre(() => {
			void this.layout.scale;
			untrack(() => this.#anchorScale());
		});
		$effect(() => {
			void this.layout.scale;
			untrack(() => this.#restoreScaleAnchor());
		});
		// Zooming or pinching re-renders the near pages crisply at the new scale.
		$effect(() => {
			void this.layout.scale;
			void this.layout.pixelRatio;
			untrack(() => {
				for (const pageNumber of this.#nearPages) {
					if (!this.isTextPage(pageNumber)) void this.#views[pageNumber - 1]?.render();
				}
			});
		});
		// Not a passive listener: ctrl+wheel must be able to cancel the browser's own zoom.
		$effect(() => {
			const element = this.scroller;
			if (!element) return;
			const onWheel = (event: WheelEvent) => this.#onWheel(event);
			element.addEventListener('wheel', onWheel, { passive: false });
			return () => element.removeEventListener('wheel', onWheel);
		});
		// Marks follow the matches and the selection.
		$effect(() => {
			void this.find.matches;
			void this.find.selected;
			untrack(() => {
				for (const pageNumber of this.#nearPages) {
					const view = this.#views[pageNumber - 1];
					if (view) this.find.highlight(view);
				}
			});
		});
	}

	/**
	 * Starts reading once hydrated: takes over `opening` (started while the page hydrated, or by
	 * the early head script) and follows pinch-zoom. Returns what closes it all.
	 */
	mount(opening: Promise<Opening> | null): () => void {
		this.mounted = true;
		this.layout.pixelRatio = currentPixelRatio();
		this.modes.followScreen(window.innerWidth);
		if (this.isTextPage(this.previewPage)) {
			void this.loadTexts();
			// With its text, not once pdf.js has the document: the server may take seconds.
			void this.loadFigures(this.previewPage);
		}
		const stopFollowingPinch = this.#followPinch();
		const close = opening ? this.#open(opening) : null;
		return () => {
			close?.();
			stopFollowingPinch();
		};
	}

	#open(opening: Promise<Opening>): () => void {
		let destroyed = false;
		let loadingTask: ReturnType<Pdfjs['getDocument']> | null = null;
		void (async () => {
			try {
				const opened = await opening;
				const pdfjs = opened.module;
				this.#pdfjs = pdfjs;
				loadingTask = opened.task;
				if (destroyed) {
					loadingTask.promise.catch(() => {});
					return closeDocument(loadingTask);
				}
				const loaded = await loadingTask.promise;
				if (destroyed) return closeDocument(loaded);
				performance.mark('reader:document-open');
				this.#doc = loaded;
				const numPages = loaded.numPages;
				this.layout.numPages = numPages;
				const start = clampPage(this.#initialPage, numPages);
				// The page opened at gives the size every page is laid out with until its own is known.
				const startPage = await loaded.getPage(start);
				const base = startPage.getViewport({ scale: 1 });
				const host = this.#pageViewHost(pdfjs, loaded);
				this.#views = Array.from({ length: numPages }, (_, i) => new PageView(i + 1, host));
				this.layout.setDocument(numPages, [base.width, base.height]);
				this.find.attach(this.#textSource(loaded), numPages);
				this.find.landOn(start);
				this.status = 'ready';
				this.layout.showPage(start);
				await tick();
				for (const [pageNumber, element] of this.#pageElements) {
					this.#views[pageNumber - 1]?.attach(element);
				}
				// Before the observer can start a render of its own of the page the early script draws.
				const drawing = await opened.drawn;
				if (destroyed) return;
				if (drawing?.pageNumber === start && !this.isTextPage(start)) {
					this.#views[start - 1].adopt(drawing.canvas);
					this.#firstPageMarked = true;
				} else {
					drawing?.canvas.remove();
				}
				this.#observePages();
				// The pages before `start` are laid out only now: scroll back to it before the next paint.
				this.scrollToPage(start, 'instant');
				// The page read first need not wait for the observer's first callback (a frame later).
				if (!this.isTextPage(start)) void this.#views[start - 1].render();
				else if (this.find.units.length) void this.find.scan();
				void this.#loadOutline(loaded);
			} catch (error) {
				if (destroyed) return;
				this.status = 'error';
				this.errorMessage = loadFailureMessage(error);
			}
		})();
		return () => {
			destroyed = true;
			this.#observer?.disconnect();
			for (const view of this.#views) view.release();
			if (loadingTask) closeDocument(loadingTask);
			this.#doc = null;
			this.find.detach();
		};
	}

	#pageViewHost(pdfjs: Pdfjs, doc: PDFDocumentProxy): PageViewHost {
		return {
			pdfjs,
			doc,
			scale: () => this.layout.scale,
			pixelRatio: () => this.layout.pixelRatio,
			onTextContent: (pageNumber, content) => this.find.notePageText(pageNumber, content.items),
			onTextLayer: (view) => this.find.highlight(view),
			onSize: (pageNumber, width, height) => this.layout.noteSize(pageNumber, width, height),
			onRendered: (pageNumber) => {
				if (pageNumber === this.previewPage) this.previewShown = false;
				if (this.#firstRenderMarked) return;
				this.#firstRenderMarked = true;
				if (!this.#firstPageMarked) {
					performance.mark('reader:first-page', { detail: { page: pageNumber } });
				}
				// The whole-document text scan waits for the first page, so it never delays it.
				if (this.find.units.length) void this.find.scan();
			},
			onError: (pageNumber, error) => {
				console.warn(`Glassbox reader: page ${pageNumber} could not be rendered`, error);
			}
		};
	}

	/**
	 * Where the find scan reads the pages not drawn yet: their indexed text, a few kilobytes,
	 * rather than every page of the PDF through pdf.js, which would fetch the whole file; pdf.js
	 * when there is no indexed text.
	 */
	#textSource(doc: PDFDocumentProxy): TextSource {
		return {
			getPage: async (pageNumber) => {
				const texts = await this.loadTexts();
				if (!texts) return doc.getPage(pageNumber);
				const items = [{ str: texts[pageNumber - 1] ?? '', hasEOL: false }];
				return { getTextContent: async () => ({ items, indexed: true }), cleanup: () => {} };
			}
		};
	}

	/** Fetches the indexed text of every page, once; null when there is none or it failed. */
	loadTexts(): Promise<string[] | null> {
		this.#textsLoading ??= (async () => {
			if (!this.textSrc) return null;
			const fail = () => {
				this.textsFailed = true;
				for (const pageNumber of this.#nearPages) void this.#views[pageNumber - 1]?.render();
				return null;
			};
			try {
				const response = await fetch(this.textSrc);
				if (!response.ok) return fail();
				const { pages } = (await response.json()) as PaperTexts;
				// Text views grow to their text: the page being read stays where it was.
				this.#anchorScale();
				this.pageTexts = pages;
				await tick();
				this.#restoreScaleAnchor();
				return pages;
			} catch {
				return fail();
			}
		})();
		return this.#textsLoading;
	}

	/**
	 * Fetches the figures of a page read as text, once: the server finds them on the first request
	 * (seconds for a page of charts), so the text is shown first and the figures join it when they
	 * come, the page being read kept in place. One request at a time, so that a reader scrolling
	 * through pages of text never queues more finding than the server's drawing slots take (it
	 * answers 503 beyond them); a page no longer near when its turn comes is asked for again when
	 * it comes back. A busy server (503) is asked again once, after the time it says; a page
	 * whose figures cannot be had is shown without them.
	 */
	loadFigures(pageNumber: number): Promise<void> {
		const url = this.figuresUrl?.(pageNumber);
		if (!url) return Promise.resolve();
		let loading = this.#figuresLoading.get(pageNumber);
		if (!loading) {
			loading = this.#figuresTurn.then(async () => {
				if (pageNumber !== this.previewPage && !this.#nearPages.has(pageNumber)) {
					this.#figuresLoading.delete(pageNumber);
					return;
				}
				try {
					let response = await fetch(url);
					if (response.status === 503) {
						const seconds = Number(response.headers.get('Retry-After')) || 5;
						await new Promise((wake) => setTimeout(wake, Math.min(seconds, 30) * 1000));
						response = await fetch(url);
					}
					if (!response.ok) return;
					const figures = (await response.json()) as PageFigure[];
					if (figures.length === 0) return;
					this.#anchorScale();
					this.pageFigures.set(pageNumber, figures);
					await tick();
					this.#restoreScaleAnchor();
				} catch {
					// No figures: the text is still there, and the page image one tap away.
				}
			});
			this.#figuresTurn = loading;
			this.#figuresLoading.set(pageNumber, loading);
		}
		return loading;
	}

	/** Whether a page is shown as its text (only once hydrated, and with text to show). */
	isTextPage(pageNumber: number): boolean {
		return (
			this.mounted &&
			this.textSrc !== null &&
			!this.textsFailed &&
			this.modes.modeOf(pageNumber) === 'text'
		);
	}

	/** Shows a page as text or as the PDF page from now on, and remembers the choice. */
	setMode(pageNumber: number, mode: ReadingMode): void {
		this.modes.set(pageNumber, mode);
		const view = this.#views[pageNumber - 1];
		if (mode === 'text') {
			view?.release();
			void this.loadTexts();
			if (this.#nearPages.has(pageNumber)) void this.loadFigures(pageNumber);
		} else if (view && this.#nearPages.has(pageNumber)) {
			void view.render();
		}
	}

	async #loadOutline(doc: PDFDocumentProxy): Promise<void> {
		try {
			this.outline = ((await doc.getOutline()) ?? []) as OutlineEntry[];
		} catch {
			this.outline = [];
		}
	}

	/** Scrolls to where an outline entry points. */
	async goToDestination(dest: OutlineEntry['dest']): Promise<void> {
		const doc = this.#doc;
		if (!doc || !dest) return;
		try {
			const explicit = typeof dest === 'string' ? await doc.getDestination(dest) : dest;
			const ref = explicit?.[0];
			if (ref === undefined || ref === null) return;
			const index = typeof ref === 'number' ? ref : await doc.getPageIndex(ref);
			this.scrollToPage(index + 1);
			if (this.layout.viewportWidth < 720) this.outlineOpen = false;
		} catch {
			// A broken outline entry leads nowhere; the rest of the outline still works.
		}
	}

	// ------------------------------------------------------------------ rendering near the view

	#observePages(): void {
		if (!this.scroller) return;
		this.#observer = new IntersectionObserver(
			(entries) => {
				for (const entry of entries) {
					const pageNumber = Number((entry.target as HTMLElement).dataset.page);
					const view = this.#views[pageNumber - 1];
					if (!view) continue;
					if (entry.isIntersecting) {
						this.#nearPages.add(pageNumber);
						// A text page's figures are found by the server only when it comes near.
						if (this.isTextPage(pageNumber)) void this.loadFigures(pageNumber);
						else void view.render();
					} else {
						this.#nearPages.delete(pageNumber);
						view.release();
					}
				}
			},
			// Pages within one screen above or below are rendered ahead of the scroll.
			{ root: this.scroller, rootMargin: '100% 0px 100% 0px' }
		);
		for (const element of this.#pageElements.values()) this.#observer.observe(element);
	}

	/** Action for a page's element: the observer watches it and its `PageView` draws into it. */
	trackPage = (element: HTMLElement, pageNumber: number) => {
		this.#pageElements.set(pageNumber, element);
		this.#views[pageNumber - 1]?.attach(element);
		this.#observer?.observe(element);
		return {
			destroy: () => {
				this.#observer?.unobserve(element);
				this.#pageElements.delete(pageNumber);
			}
		};
	};

	#anchorScale(): void {
		const page = this.layout.currentPage;
		const element = this.#pageElements.get(page);
		if (!this.scroller || !element || this.status !== 'ready') return;
		const within = (this.scroller.scrollTop + PAGE_GAP - element.offsetTop) / element.offsetHeight;
		this.#scaleAnchor = { page, within: Math.min(1, Math.max(0, within)) };
	}

	#restoreScaleAnchor(): void {
		const anchor = this.#scaleAnchor;
		this.#scaleAnchor = null;
		const element = anchor && this.#pageElements.get(anchor.page);
		if (!this.scroller || !element || !anchor) return;
		this.scroller.scrollTop = element.offsetTop - PAGE_GAP + anchor.within * element.offsetHeight;
	}

	#followPinch(): () => void {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const onPinch = () => {
			clearTimeout(timer);
			timer = setTimeout(() => (this.layout.pixelRatio = currentPixelRatio()), 150);
		};
		window.visualViewport?.addEventListener('resize', onPinch);
		window.addEventListener('resize', onPinch);
		return () => {
			clearTimeout(timer);
			window.visualViewport?.removeEventListener('resize', onPinch);
			window.removeEventListener('resize', onPinch);
		};
	}

	// ------------------------------------------------------------------ navigation

	/** Scrolls a page (kept inside the document) to the top of the view. */
	scrollToPage(pageNumber: number, behavior: ScrollBehavior = 'auto'): void {
		const target = clampPage(pageNumber, this.layout.numPages);
		const element = this.#pageElements.get(target);
		if (!this.scroller || !element) return;
		this.scroller.scrollTo({ top: element.offsetTop - PAGE_GAP, behavior });
		this.layout.showPage(target);
	}

	#revealPage(pageNumber: number): void {
		const drawn = this.#nearPages.has(pageNumber) && this.#views[pageNumber - 1]?.rendered;
		if (!drawn) this.scrollToPage(pageNumber);
		this.layout.showPage(pageNumber);
	}

	/**
	 * Centres a match in the pages' scrolling area only: the window stays where it is, so the
	 * toolbar above the pages stays whole on screen.
	 */
	#revealMark(mark: Pick<Element, 'scrollIntoView'>): void {
		const scroller = this.scroller;
		if (!scroller || !(mark instanceof Element)) {
			mark.scrollIntoView({ block: 'center', inline: 'nearest' });
			return;
		}
		const box = mark.getBoundingClientRect();
		const area = scroller.getBoundingClientRect();
		scroller.scrollTop += box.top + box.height / 2 - (area.top + scroller.clientHeight / 2);
		if (box.left < area.left) scroller.scrollLeft -= area.left - box.left;
		else if (box.right > area.left + scroller.clientWidth)
			scroller.scrollLeft += box.right - (area.left + scroller.clientWidth);
	}

	/** Follows the scroll: the page crossing the upper third of the view is the one being read. */
	onScroll(): void {
		if (this.#scrollFrame) return;
		this.#scrollFrame = requestAnimationFrame(() => {
			this.#scrollFrame = 0;
			const scroller = this.scroller;
			if (!scroller) return;
			const line = scroller.scrollTop + scroller.clientHeight / 3;
			let reading = 1;
			for (const [pageNumber, element] of this.#pageElements) {
				if (element.offsetTop <= line && pageNumber > reading) reading = pageNumber;
			}
			if (reading === this.layout.currentPage) return;
			this.layout.currentPage = reading;
			if (document.activeElement?.id !== this.#pageInputId) this.layout.resetPageInput();
		});
	}

	/** Goes to the page typed in the page box, or puts the page being read back in it. */
	submitPageInput(): void {
		const wanted = this.layout.typedPage();
		if (wanted === null) this.layout.resetPageInput();
		else this.scrollToPage(wanted);
	}

	toggleFind(): void {
		if (this.find.open) this.find.open = false;
		else void this.find.show();
	}

	/** Closes the find bar, leaving the keyboard to the pages. */
	closeFind(): void {
		this.find.open = false;
		this.scroller?.focus();
	}

	#onWheel(event: WheelEvent): void {
		// Trackpad pinch arrives as ctrl+wheel: zoom the pages, not the whole site.
		if (!event.ctrlKey) return;
		event.preventDefault();
		this.layout.zoomStep(event.deltaY < 0 ? 1 : -1);
	}

	/** The reader's keyboard shortcuts, wherever focus is inside it. */
	onKeydown(event: KeyboardEvent): void {
		const typing = (event.target as HTMLElement).closest('input, select, textarea') !== null;
		if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
			event.preventDefault();
			void this.find.show();
			return;
		}
		if (event.key === 'Escape' && this.find.open) {
			this.closeFind();
			return;
		}
		if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
		const actions: Record<string, () => void> = {
			PageDown: () => this.scrollToPage(this.layout.currentPage + 1),
			PageUp: () => this.scrollToPage(this.layout.currentPage - 1),
			Home: () => this.scrollToPage(1),
			End: () => this.scrollToPage(this.layout.numPages),
			'+': () => this.layout.zoomStep(1),
			'=': () => this.layout.zoomStep(1),
			'-': () => this.layout.zoomStep(-1)
		};
		const action = actions[event.key];
		if (action && this.status === 'ready') {
			event.preventDefault();
			action();
		}
	}
}
