/**
 * Finding text in the reader: what is looked for and how, the matches of every page read so far,
 * the selected match, and the background scan that reads every page's text once so the matches
 * cover the whole document. Matching itself is `match.ts`; this class keeps its results.
 */
import { tick, untrack } from 'svelte';
import { highlightOfSpec, type Highlight, type MatchSpec } from '../../text/match-ranges.ts';
import { hyphenVocabulary } from '../../text/normalise.ts';
import {
	findInPage,
	linesOfItems,
	localHighlight,
	preparePage,
	type PageMatch,
	type PreparedPage,
	type TextItemLike
} from './match.ts';
import { findUnitsOfQuery } from './query.ts';
import type { HitPage } from './types.ts';

/** Pages read at once by the scan: a few in flight hide the worker round trips, more would delay rendering. */
const SCAN_BATCH = 6;

/** The part of a pdf.js document the scan reads. */
export interface TextSource {
	getPage(pageNumber: number): Promise<{
		/** `indexed`: the text is the build's, standing in until pdf.js's own arrives. */
		getTextContent(): Promise<{ items: readonly unknown[]; indexed?: boolean }>;
		cleanup(): void;
	}>;
}

/** What finding asks of the reader around it. */
export interface FindHost {
	pageCount(): number;
	/** The page being read, where find next and previous start. */
	currentPage(): number;
	/** Whether a page is rendered near the view (its pdf.js resources are then kept). */
	isNear(pageNumber: number): boolean;
	/** Makes the page of the selected match the one being read, scrolling only if it is not in view. */
	revealPage(pageNumber: number): void;
	/** Scrolls to a page. */
	goToPage(pageNumber: number): void;
	/**
	 * Centres a selected match in the reader's own scrolling area. Without it the mark scrolls
	 * itself into view, which also moves the window (and can push the reader's toolbar off it).
	 */
	revealMark?(mark: Pick<Element, 'scrollIntoView'>): void;
	/** A read stopped on purpose (the document closed): normal, not an error. */
	isCancellation(error: unknown): boolean;
}

/**
 * Where the reader learns what a query matched from the search engine (typo corrections,
 * synonyms, stems, compounds): the deep link's answer, and a way to ask for any other text.
 */
export interface MatchSource {
	/** The text the reader opened with (`?q=`), and what the engine matched for it in this paper. */
	initial?: { text: string; spec: MatchSpec } | null;
	/** Asks the engine what a find text matches in this paper (null when it cannot tell). */
	fetch?: ((text: string) => Promise<MatchSpec | null>) | null;
}

/** How long the find text must stay unchanged before the engine is asked about it. */
const ASK_DELAY_MS = 250;

/** A page's text layer, as far as marking its matches goes (a `PageView`). */
export interface MarkablePage {
	readonly pageNumber: number;
	/** Marks the matches, `selected` (an index on the page, or -1) emphasised; returns its mark. */
	highlight(
		matches: readonly PageMatch[],
		selected: number
	): Pick<Element, 'scrollIntoView'> | null;
}

/** The reader's find bar and its matches. */
export class FindState {
	/** The find bar is open. */
	open = $state(false);
	/** What the find bar holds. */
	text = $state('');
	caseSensitive = $state(false);
	wholeWord = $state(true);
	/** The find bar's text box, focused when the bar opens. */
	input: HTMLInputElement | null = null;
	/** Pages whose text has been read (rendered or scanned). */
	preparedCount = $state(0);
	/** Every page's text has been read, so the count of matches is final. */
	scanComplete = $state(false);
	/** The matches of each page, once its text has been read. */
	matches = $state.raw<(PageMatch[] | undefined)[]>([]);
	/**
	 * The selected match as its page and its index there, so that it stays the same match while
	 * the scan adds the matches of other pages.
	 */
	#selection = $state<{ page: number; index: number } | null>(null);

	readonly #host: FindHost;
	#source: TextSource | null = null;
	/** The text-layer strings of each page read so far (what the matcher needs, nothing more). */
	#pageItems: (TextItemLike[] | undefined)[] = [];
	#prepared: (PreparedPage | undefined)[] = [];
	/** Pages whose text is the build's indexed text, replaced by pdf.js's when the page is drawn. */
	#indexed: boolean[] = [];
	#vocabulary: ReturnType<typeof hyphenVocabulary> | undefined;
	#scanning = false;
	/** The next marks painted scroll the selected match into view. */
	#revealSelected = false;
	/** The page a deep link opened at, whose first match is selected once that page is read. */
	#landingPage: number | null = null;
	/** The engine's answer for a find text. */
	#served = $state.raw<{ text: string; spec: MatchSpec } | null>(null);
	/** Asks the engine what a find text matches in this paper (none: typed texts match locally). */
	readonly #ask: ((text: string) => Promise<MatchSpec | null>) | null;
	/** Number of the latest question to the engine; an answer to an earlier one is stale. */
	#askCount = 0;
	/** A find text the engine could not be asked about (offline, or an error answer). */
	#unanswered = $state<string | null>(null);

	constructor(host: FindHost, query: string, matches: MatchSource = {}) {
		this.#host = host;
		this.text = query;
		this.open = query.trim() !== '';
		this.#served = matches.initial ?? null;
		this.#ask = matches.fetch ?? null;
		// A new find text or option searches every page again.
		$effect(() => {
			void this.text;
			void this.caseSensitive;
			void this.wholeWord;
			untrack(() => this.search());
		});
		// A find text typed in the reader is matched as the search engine would match it, once the
		// typing pauses; until the engine answers, the typed words' own terms are marked.
		if (this.#ask) {
			$effect(() => {
				const text = this.text;
				if (!this.units.length || untrack(() => this.#served?.text) === text) return;
				const timer = setTimeout(() => void this.askEngine(), ASK_DELAY_MS);
				return () => clearTimeout(timer);
			});
		}
	}

	/**
	 * Asks the search engine what the find text matches in this paper (typo corrections,
	 * synonyms, stems, compounds) and marks that when it answers. An answer is dropped when the
	 * text has changed since, or a later question was asked; one for the same text keeps the
	 * selected match selected and the view where it is.
	 */
	async askEngine(): Promise<void> {
		const ask = this.#ask;
		const text = this.text;
		if (!ask || !this.units.length) return;
		const asked = ++this.#askCount;
		let spec: MatchSpec | null = null;
		try {
			spec = await ask(text);
		} catch {
			// Offline: the typed words stay matched locally, and the find bar says so.
		}
		if (asked !== this.#askCount || this.text !== text) return;
		if (!spec) {
			this.#unanswered = text;
			return;
		}
		this.#unanswered = null;
		this.#served = { text, spec };
		this.#refreshKeepingSelection();
	}

	/** Searches the pages read again, the selected match (if still found) staying selected. */
	#refreshKeepingSelection(): void {
		const selection = this.#selection;
		const selectedAt = selection
			? this.matches[selection.page - 1]?.[selection.index]?.start
			: undefined;
		this.refreshMatches();
		if (!selection || selectedAt === undefined) return;
		const onPage = this.matches[selection.page - 1] ?? [];
		// The match holding the selected text, or else the next one on its page.
		const index = onPage.findIndex((match) => match.end > selectedAt);
		const kept = index >= 0 ? index : onPage.length - 1;
		this.#selection = kept >= 0 ? { page: selection.page, index: kept } : null;
	}

	/** The words and phrases to find, parsed as the search page parses a query. */
	readonly units = $derived(findUnitsOfQuery(this.text));

	/**
	 * What to mark with whole words: what the search engine matched for the find text in this
	 * paper once it has said, and until then the typed words' own index terms and phrases.
	 */
	readonly highlightSpec: Highlight = $derived(
		this.#served && this.#served.text === this.text
			? highlightOfSpec(this.#served.spec)
			: localHighlight(this.units)
	);

	/**
	 * Only the typed words' own forms are marked for the find text, because the search engine
	 * could not be asked what it matches (typo corrections, synonyms): the find bar says so.
	 */
	readonly literalOnly = $derived(
		this.wholeWord &&
			this.units.length > 0 &&
			this.#unanswered === this.text &&
			this.#served?.text !== this.text
	);

	/** Index of the first match of each page across the document, then the total. */
	readonly matchOffsets = $derived.by(() => {
		const offsets: number[] = [];
		let total = 0;
		for (let i = 0; i < this.#host.pageCount(); i++) {
			offsets.push(total);
			total += this.matches[i]?.length ?? 0;
		}
		offsets.push(total);
		return offsets;
	});

	readonly totalMatches = $derived(this.matchOffsets[this.matchOffsets.length - 1] ?? 0);

	/** Index of the selected match across the document, or -1. */
	readonly selected = $derived.by(() => {
		const selection = this.#selection;
		if (!selection) return -1;
		const onPage = this.matches[selection.page - 1]?.length ?? 0;
		if (selection.index >= onPage) return -1;
		return this.matchOffsets[selection.page - 1] + selection.index;
	});

	/** The pages with matches and how many, for the hit strip. */
	readonly hitPages: HitPage[] = $derived(
		this.matches.flatMap((list, index) =>
			list?.length ? [{ page: index + 1, count: list.length }] : []
		)
	);

	readonly maxHits = $derived(Math.max(1, ...this.hitPages.map((hit) => hit.count)));

	/**
	 * The find bar's count: "12 matches" ("12+" while pages are still read), and with a match
	 * selected "match 1 of 3 on this page, 12 in the paper".
	 */
	readonly status = $derived.by(() => {
		if (!this.units.length) return '';
		const counting = !this.scanComplete;
		const total = this.totalMatches;
		if (!total) return counting ? 'Searching…' : 'No matches';
		const inPaper = `${total}${counting ? '+' : ''}`;
		const selection = this.#selection;
		if (this.selected >= 0 && selection) {
			const onPage = this.matches[selection.page - 1]?.length ?? 0;
			return `match ${selection.index + 1} of ${onPage} on this page, ${inPaper} in the paper`;
		}
		return `${inPaper} ${total === 1 ? 'match' : 'matches'}`;
	});

	/** Starts finding in an opened document, none of whose pages has been read. */
	attach(source: TextSource, numPages: number): void {
		this.#source = source;
		this.matches = new Array(numPages).fill(undefined);
	}

	/** Stops reading a document being closed. */
	detach(): void {
		this.#source = null;
	}

	/**
	 * Selects the first match of `pageNumber` as soon as that page's text is read, and brings it
	 * into view: a deep link from a search hit lands on the match, not on the top of the page.
	 */
	landOn(pageNumber: number): void {
		if (this.units.length) this.#landingPage = pageNumber;
	}

	/** Opens the find bar (or goes back to it) with its text selected, and reads every page. */
	async show(): Promise<void> {
		this.open = true;
		await tick();
		this.input?.focus();
		this.input?.select();
		void this.scan();
	}

	/** Applies a new find text or option: no match selected, every page read searched again. */
	search(): void {
		if (!this.#source) return;
		this.#selection = null;
		this.refreshMatches();
		if (this.units.length) void this.scan();
	}

	/** Reads the text of every page not read yet, in the background, then searches them all. */
	async scan(): Promise<void> {
		const source = this.#source;
		if (this.#scanning || this.scanComplete || !source) return;
		this.#scanning = true;
		try {
			const missing = Array.from({ length: this.#host.pageCount() }, (_, i) => i + 1).filter(
				(pageNumber) => !this.#pageItems[pageNumber - 1]
			);
			for (let at = 0; at < missing.length; at += SCAN_BATCH) {
				if (this.#source !== source) return;
				const batch = missing.slice(at, at + SCAN_BATCH);
				await Promise.all(
					batch.map(async (pageNumber) => {
						const pdfPage = await source.getPage(pageNumber);
						const content = await pdfPage.getTextContent();
						this.notePageText(pageNumber, content.items, false, content.indexed === true);
						if (!this.#host.isNear(pageNumber)) pdfPage.cleanup();
					})
				);
				this.refreshMatches(batch);
			}
			if (this.#source !== source) return;
			// One vocabulary for the whole paper, as the ingest uses, decides line-end hyphens.
			const vocabulary = hyphenVocabulary(
				this.#pageItems.flatMap((items) => linesOfItems(items ?? []))
			);
			this.#vocabulary = vocabulary;
			this.#prepared = this.#pageItems.map((items) =>
				items ? preparePage(items, vocabulary) : undefined
			);
			this.refreshMatches();
			this.scanComplete = true;
			performance.mark('reader:highlights', { detail: { matches: this.totalMatches } });
		} catch (error) {
			if (!this.#host.isCancellation(error)) {
				console.warn('Glassbox reader: the text of some pages could not be searched', error);
			}
		} finally {
			this.#scanning = false;
		}
	}

	/**
	 * Keeps a page's text for the matcher the first time it is read (rendered or scanned); the
	 * text layer's own text replaces an `indexed` one, so that its matches can be marked.
	 */
	notePageText(
		pageNumber: number,
		items: readonly unknown[],
		refresh = true,
		indexed = false
	): void {
		const known = this.#pageItems[pageNumber - 1] !== undefined;
		if (known && (indexed || !this.#indexed[pageNumber - 1])) return;
		const strings = items
			.filter((item): item is TextItemLike => Object.hasOwn(item as object, 'str'))
			.map(({ str, hasEOL }) => ({ str, hasEOL }));
		this.#pageItems[pageNumber - 1] = strings;
		this.#indexed[pageNumber - 1] = indexed;
		this.#prepared[pageNumber - 1] = preparePage(strings, this.#vocabulary);
		if (!known) this.preparedCount++;
		if (refresh) this.refreshMatches([pageNumber]);
	}

	/** Recomputes the matches of some pages (all when omitted). */
	refreshMatches(pageNumbers?: number[]): void {
		const options = { caseSensitive: this.caseSensitive, wholeWord: this.wholeWord };
		const units = this.units;
		const highlight = this.highlightSpec;
		const next = this.matches.slice();
		const pages = pageNumbers ?? Array.from({ length: this.#host.pageCount() }, (_, i) => i + 1);
		for (const pageNumber of pages) {
			const text = this.#prepared[pageNumber - 1];
			next[pageNumber - 1] =
				text && units.length ? findInPage(text, units, options, highlight) : [];
		}
		this.matches = next;
		this.#land();
	}

	/** Selects the landing page's first match once that page has been read (see {@link landOn}). */
	#land(): void {
		const page = this.#landingPage;
		if (page === null || !this.#prepared[page - 1]) return;
		this.#landingPage = null;
		if (this.#selection || !this.matches[page - 1]?.length) return;
		this.#selection = { page, index: 0 };
		this.#revealSelected = true;
	}

	/**
	 * Selects the next or previous match, from the page being read when none is selected yet,
	 * wrapping around the ends of the document, and brings it into view.
	 */
	step(direction: 1 | -1): void {
		const total = this.totalMatches;
		if (!total) return;
		let next: number;
		if (this.selected < 0) {
			const from = this.matchOffsets[this.#host.currentPage() - 1] ?? 0;
			next = direction === 1 ? from % total : (from - 1 + total) % total;
		} else {
			next = (this.selected + direction + total) % total;
		}
		const page = this.pageOfMatch(next);
		this.#selection = { page, index: next - this.matchOffsets[page - 1] };
		this.#revealSelected = true;
		this.#host.revealPage(page);
	}

	/** Selects the first match of a page (a tick of the hit strip) and goes there. */
	goToHitPage(pageNumber: number): void {
		this.#selection = { page: pageNumber, index: 0 };
		this.#revealSelected = true;
		this.#host.goToPage(pageNumber);
	}

	/** The page of a match, by its index across the document. */
	pageOfMatch(globalIndex: number): number {
		const offsets = this.matchOffsets;
		let low = 0;
		let high = this.#host.pageCount() - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if (offsets[mid] <= globalIndex) low = mid;
			else high = mid - 1;
		}
		return low + 1;
	}

	/** Marks a page's matches in its text layer, scrolling a newly selected one into view. */
	highlight(view: MarkablePage): void {
		const pageMatches = this.matches[view.pageNumber - 1] ?? [];
		const offset = this.matchOffsets[view.pageNumber - 1] ?? 0;
		const selected = this.selected;
		const local =
			selected >= offset && selected < offset + pageMatches.length ? selected - offset : -1;
		const mark = view.highlight(pageMatches, local);
		if (mark && this.#revealSelected) {
			this.#revealSelected = false;
			if (this.#host.revealMark) this.#host.revealMark(mark);
			else mark.scrollIntoView({ block: 'center', inline: 'nearest' });
		}
	}
}
