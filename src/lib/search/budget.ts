/**
 * One work budget per query, so that no query text can hold the server: every costly step of a
 * search (postings walked, pages checked for a phrase, vocabulary scanned for expansions,
 * metadata searched) spends from it, and a step the budget cannot pay for is skipped; the
 * answer then holds what was found, marked partial. Work is counted in units (about one posting
 * visited each) rather than timed, so the same query always gets the same answer.
 */

/**
 * What each kind of work costs, in units of about one posting scored (a few nanoseconds),
 * set from CPU profiles of the hostile queries (`npm run bench:hostile`).
 */
export const WORK_COSTS = {
	/** One body posting (page, term frequency) read while scoring. */
	posting: 1,
	/** One posting passed while walking a phrase's terms together (and their word positions). */
	phrasePosting: 6,
	/** Passing once over a per-paper score array, per paper. */
	paperPass: 0.25,
	/** Checking one page for a phrase: the pair filter and its word positions. */
	pageCheck: 8,
	/** Reading one byte of page text for a phrase (or a snippet). */
	textByte: 1,
	/** One vocabulary term compared with a typed word (edit distance, prefix). */
	vocabularyTerm: 6,
	/** One MiniSearch search of the metadata, besides the papers it returns (an exact one: a quarter). */
	metadataSearch: 400,
	/** One paper returned by a metadata search (MiniSearch builds an object for each). */
	metadataPaper: 50,
	/** One paper's metadata texts read for a phrase. */
	metadataText: 300,
	/** One page of a hit's snippets, per word and phrase marked (it is searched for each). */
	snippetTerm: 400
} as const;

/**
 * Units one query may spend. On 10,000 synthetic papers (`npm run bench:hostile`) the worst query
 * we could craft then takes under 200 ms of CPU, where ordinary queries spend 0.2 million units
 * (the most, 1.1 million) and are never cut short.
 */
export const QUERY_WORK_LIMIT = 2_000_000;

/**
 * Share of a query's limit its hits may spend once the search is paid for (snippets, the pages
 * of a phrase shown), so that a spent budget still leaves the hits of what was found.
 */
export const HITS_SHARE = 0.25;

/** Phrases of only stop words or single letters (they match on every page) checked per query. */
export const MAX_WORDLESS_PHRASES = 2;
/** Most pages one such phrase is checked on; its remaining pages are left unchecked. */
export const MAX_WORDLESS_PHRASE_PAGES = 1_500;

export class WorkBudget {
	#limit: number;
	#spent = 0;
	/** Some work was skipped: the answer may lack matches. */
	#partial = false;
	/** A spend was refused: nothing more is paid for. */
	#closed = false;
	#wordlessPhrases = 0;
	/** Parts of the query the budget dropped whole (phrase nodes): they constrain nothing. */
	#dropped = new WeakSet<object>();

	constructor(limit = QUERY_WORK_LIMIT) {
		this.#limit = limit;
	}

	/** Starts a new query's budget (the engine reuses one budget, searches being synchronous). */
	reset(limit = QUERY_WORK_LIMIT): void {
		this.#limit = limit;
		this.#spent = 0;
		this.#partial = false;
		this.#closed = false;
		this.#wordlessPhrases = 0;
		this.#dropped = new WeakSet();
	}

	/**
	 * Opens the hits' allowance ({@link HITS_SHARE} of the limit) after the search proper,
	 * whether or not that spent all of its own.
	 */
	startHits(): void {
		this.#limit = Math.max(this.#limit, this.#spent) + this.#limit * HITS_SHARE;
		this.#closed = false;
	}

	/** Units spent so far on this query. */
	get spent(): number {
		return this.#spent;
	}

	/** Whether some work was skipped, so the answer may lack matches. */
	get partial(): boolean {
		return this.#partial;
	}

	/** Whether nothing more can be paid for. */
	get exhausted(): boolean {
		return this.#closed || this.#spent >= this.#limit;
	}

	/**
	 * Pays for work that is skipped when unaffordable; false (and the answer partial) if so.
	 * Once it has said no, it says no to everything after, so the answer does not depend on
	 * which small steps happen to fit in what is left.
	 */
	spend(units: number): boolean {
		if (this.#closed || this.#spent + units > this.#limit) {
			this.#closed = true;
			this.#partial = true;
			return false;
		}
		this.#spent += units;
		return true;
	}

	/** Counts work that is done anyway (it is bounded elsewhere), so later steps pay for it. */
	charge(units: number): void {
		this.#spent += units;
	}

	/** Marks the answer partial: part of the query was left out. */
	markPartial(): void {
		this.#partial = true;
	}

	/**
	 * Whether a phrase of only stop words or single letters may be checked: the first
	 * {@link MAX_WORDLESS_PHRASES} of a query may, the others are dropped.
	 */
	admitWordlessPhrase(): boolean {
		if (this.#wordlessPhrases >= MAX_WORDLESS_PHRASES) {
			this.#partial = true;
			return false;
		}
		this.#wordlessPhrases++;
		return true;
	}

	/** Records that a part of the query was not searched at all. */
	drop(node: object): void {
		this.#partial = true;
		this.#dropped.add(node);
	}

	/** Whether {@link drop} left this part out (a dropped phrase is no requirement). */
	dropped(node: object): boolean {
		return this.#dropped.has(node);
	}
}
