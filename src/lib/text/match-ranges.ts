/**
 * What a query matched, and where it is in a text: the words whose index terms the query
 * matched (after typo correction, synonyms, stems and compounds) and its phrases. Search
 * snippets and the reader's highlights both mark exactly these ranges, so what a hit shows
 * marked is what the reader marks on the page.
 */
import { CONNECTOR, fold, termsOfToken, tokenize, WORD } from './normalise.ts';
import { isWordChar, phraseOccurrences, type Phrase } from './phrase.ts';

export interface Highlight {
	/** Matched index terms, with the weight of the match (exact 1, expansions less). */
	terms: Map<string, number>;
	/** Phrases to mark where their words are adjacent. */
	phrases: Phrase[];
}

/** A {@link Highlight} as sent to the browser (JSON): the matched index terms and phrases. */
export interface MatchSpec {
	terms: string[];
	phrases: Phrase[];
}

/** The highlight of a match spec (every term weighs the same: the reader only marks). */
export function highlightOfSpec(spec: MatchSpec): Highlight {
	return { terms: new Map(spec.terms.map((term) => [term, 1])), phrases: spec.phrases };
}

/** The match spec of a highlight, for the browser. */
export function specOfHighlight(highlight: Highlight): MatchSpec {
	return { terms: [...highlight.terms.keys()].sort(), phrases: highlight.phrases };
}

const tokenTerms = new Map<string, string[]>();

/** The index terms of a word, remembered: every hit's snippets meet the same common words. */
function cachedTermsOfToken(token: string): string[] {
	let terms = tokenTerms.get(token);
	if (!terms) {
		if (tokenTerms.size >= 100_000) tokenTerms.clear();
		terms = termsOfToken(token);
		tokenTerms.set(token, terms);
	}
	return terms;
}

/** Text folded for matching, and the way back to positions in the original. */
export interface Haystack {
	text: string;
	/** Position in the original text of folded position `at`. */
	position: (at: number) => number;
}

/**
 * Text folded with the one fold, and the way back to the original. The search keeps the pages it
 * folds by page (`PageTexts.haystack`), and the reader each page it prepares.
 */
export function haystackOf(text: string): Haystack {
	const folded = fold(text, { withMap: true });
	return { text: folded.text, position: folded.sourceIndex };
}

/** The word pattern, anchored: the token that starts at `lastIndex`. */
const WORD_AT = new RegExp(WORD.source, 'uy');

/** Start of the token holding folded position `at` (a compound's parts belong to one token). */
function tokenStart(text: string, at: number): number {
	for (;;) {
		while (at > 0 && isWordChar(text, at - 1)) at--;
		if (at > 1 && CONNECTOR.test(text[at - 1]) && isWordChar(text, at - 2)) at -= 2;
		else return at;
	}
}

/**
 * Ranges of the tokens whose index terms are in `terms`, found without tokenizing the page:
 * a token yielding term `t` starts a word part with `t` minus its last letter (the stemmer only
 * rewrites endings), so plain string search finds every candidate and the tokenizer's rules
 * decide. Null when some term is not found that way (a compound written apart, `grad-cam`
 * for `gradcam`): the caller then tokenizes.
 */
function termRanges(haystack: Haystack, terms: Map<string, number>): [number, number][] | null {
	const text = haystack.text;
	const ranges: [number, number][] = [];
	const seen = new Set<number>();
	for (const term of terms.keys()) {
		const key = term.slice(0, Math.max(1, term.length - 1));
		let found = false;
		for (let at = text.indexOf(key); at !== -1; at = text.indexOf(key, at + 1)) {
			if (at > 0 && isWordChar(text, at - 1)) continue;
			const start = tokenStart(text, at);
			WORD_AT.lastIndex = start;
			const match = WORD_AT.exec(text);
			if (!match || !cachedTermsOfToken(match[0]).includes(term)) continue;
			found = true;
			if (seen.has(start)) continue;
			seen.add(start);
			ranges.push([haystack.position(start), haystack.position(start + match[0].length)]);
		}
		if (!found) return null;
	}
	return ranges;
}

/** Ranges of the words of `text` whose index terms are in `terms`, by tokenizing it all. */
function tokenRanges(text: string, terms: Map<string, number>): [number, number][] {
	const ranges: [number, number][] = [];
	// Pages repeat their words; deciding once per distinct word saves most of the stemming.
	const decided = new Map<string, boolean>();
	for (const token of terms.size ? tokenize(text) : []) {
		let marked = decided.get(token.text);
		if (marked === undefined) {
			marked = cachedTermsOfToken(token.text).some((term) => terms.has(term));
			decided.set(token.text, marked);
		}
		if (marked) ranges.push([token.start, token.end]);
	}
	return ranges;
}

/** Ranges of the original text holding each phrase, through the shared phrase matcher. */
function phraseRanges(haystack: Haystack, phrases: Phrase[]): [number, number][] {
	const ranges: [number, number][] = [];
	for (const phrase of phrases) {
		for (const [start, end] of phraseOccurrences(haystack.text, phrase)) {
			ranges.push([haystack.position(start), haystack.position(end)]);
		}
	}
	return ranges;
}

/** Sorted, disjoint ranges covering the given ones (overlapping or touching ranges merge). */
function mergeRanges(ranges: [number, number][]): [number, number][] {
	ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	const merged: [number, number][] = [];
	for (const range of ranges) {
		const last = merged[merged.length - 1];
		if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
		else merged.push([...range]);
	}
	return merged;
}

/**
 * Ranges of `text` to mark: words whose terms matched, and phrase occurrences (sorted, merged).
 * Pass the text's {@link haystackOf} when marking the same text for many queries.
 */
export function matchRanges(
	text: string,
	highlight: Highlight,
	haystack: Haystack = haystackOf(text)
): [number, number][] {
	const ranges =
		(highlight.terms.size ? termRanges(haystack, highlight.terms) : []) ??
		tokenRanges(text, highlight.terms);
	return mergeRanges(ranges.concat(phraseRanges(haystack, highlight.phrases)));
}
