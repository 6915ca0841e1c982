/**
 * Snippets: a short window of a page around the densest cluster of matched words, HTML-escaped,
 * with the matches wrapped in `<mark>`. Matching goes through the same tokenizer as the index,
 * so a word is marked exactly when it produced a matched index term.
 */
import type { Snippet } from '../types.ts';
import { CONNECTOR, fold, termsOfToken, tokenize, WORD } from '../text/normalise.ts';

export interface Highlight {
	/** Matched index terms, with the weight of the match (exact 1, expansions less). */
	terms: Map<string, number>;
	/** Phrases to mark where their words are adjacent. */
	phrases: Phrase[];
}

/** A phrase to find in text: folded tokens, stop words included. */
export interface Phrase {
	tokens: string[];
	/**
	 * Each word may also carry a plural ending (`class activation maps`): for the field's
	 * synonyms, which are written in their base form. Typed phrases match exactly.
	 */
	inflected: boolean;
}

/** Characters shown around the matches. */
const SNIPPET_LENGTH = 240;
const LEAD_IN = 70;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The words of a phrase's tokens, split at connectors like the tokenizer's parts. */
export function wordsOfPhrase(tokens: string[]): string[] {
	return tokens.flatMap((token) => token.split(CONNECTOR)).filter(Boolean);
}

/**
 * The forms an inflected phrase word matches: itself and its regular English plural (`map`
 * `maps`, `class` `classes`, `study` `studies`, `hero` `heros` `heroes`).
 */
export function inflectedForms(word: string): string[] {
	if (/(?:s|x|z|ch|sh)$/.test(word)) return [word, `${word}es`];
	if (/[^aeiou]y$/.test(word) && word.length > 3) return [word, `${word.slice(0, -1)}ies`];
	if (word.endsWith('o')) return [word, `${word}s`, `${word}es`];
	return [word, `${word}s`];
}

/** One phrase word as a pattern: itself, or any of its {@link inflectedForms}. */
function wordPattern(word: string, inflected: boolean): string {
	if (!inflected) return escapeRegExp(word);
	const forms = inflectedForms(word).sort((a, b) => b.length - a.length);
	return `(?:${forms.map(escapeRegExp).join('|')})`;
}

/** The phrase's words in order, separated by anything that is not a letter or digit. */
function phraseBody(phrase: Phrase): string {
	return wordsOfPhrase(phrase.tokens)
		.map((word) => wordPattern(word, phrase.inflected))
		.join('[^\\p{L}\\p{N}]+');
}

/**
 * A pattern that finds a phrase's tokens in folded text, in order, separated by anything that
 * is not a letter or digit (so `grad cam` also finds `Grad-CAM`).
 */
export function phrasePattern(phrase: Phrase, flags = 'u'): RegExp {
	return new RegExp(`(?<![\\p{L}\\p{N}])${phraseBody(phrase)}(?![\\p{L}\\p{N}])`, flags);
}

const patternCache = new Map<string, RegExp>();

function phraseKey(phrase: Phrase): string {
	return `${phrase.inflected ? '~' : '='}${phrase.tokens.join(' ')}`;
}

/** The global phrase pattern of a phrase, compiled once (queries repeat). */
function cachedPattern(phrase: Phrase): RegExp {
	const key = phraseKey(phrase);
	let pattern = patternCache.get(key);
	if (!pattern) {
		if (patternCache.size > 500) patternCache.clear();
		pattern = phrasePattern(phrase, 'gu');
		patternCache.set(key, pattern);
	}
	return pattern;
}

/** How a phrase is looked for: its first word by string search, the rest checked there. */
export interface PhraseMatcher {
	anchor: string;
	/** The phrase's words from `lastIndex` on, then a word end. */
	sticky: RegExp;
}

const matcherCache = new Map<string, PhraseMatcher>();

/** The matcher of a phrase, compiled once (queries repeat). */
export function phraseMatcher(phrase: Phrase): PhraseMatcher {
	const key = phraseKey(phrase);
	let matcher = matcherCache.get(key);
	if (!matcher) {
		if (matcherCache.size > 500) matcherCache.clear();
		const first = wordsOfPhrase(phrase.tokens)[0] ?? '';
		matcher = {
			// An inflected word may change its last letter (`study` → `studies`).
			anchor: phrase.inflected && first.length > 3 ? first.slice(0, -1) : first,
			sticky: new RegExp(`${phraseBody(phrase)}(?![\\p{L}\\p{N}])`, 'uy')
		};
		matcherCache.set(key, matcher);
	}
	return matcher;
}

/**
 * Whether folded text holds the phrase. The first word is found by plain string search and the
 * rest checked there, which is much faster than running the phrase pattern over a whole page.
 */
export function phraseOccursIn(folded: string, phrase: Phrase | PhraseMatcher): boolean {
	const { anchor, sticky } = 'sticky' in phrase ? phrase : phraseMatcher(phrase);
	if (!anchor) return false;
	for (let at = folded.indexOf(anchor); at !== -1; at = folded.indexOf(anchor, at + 1)) {
		if (at > 0 && isWordChar(folded, at - 1)) continue;
		sticky.lastIndex = at;
		if (sticky.test(folded)) return true;
	}
	return false;
}

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
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
interface Haystack {
	text: string;
	/** Position in the original text of folded position `at`. */
	position: (at: number) => number;
}

/**
 * Pages folded lately. The same pages are snippeted query after query (a paper's best pages), and
 * folding one with its position map was most of an uncached search's time.
 */
const foldedPages = new Map<string, Haystack>();
const FOLDED_PAGES_KEPT = 128;

/** Text folded with the one fold, and the way back to the original (kept for the next query). */
function haystackOf(text: string): Haystack {
	let haystack = foldedPages.get(text);
	if (!haystack) {
		const folded = fold(text, { withMap: true });
		haystack = { text: folded.text, position: folded.sourceIndex };
		if (foldedPages.size >= FOLDED_PAGES_KEPT) foldedPages.delete(foldedPages.keys().next().value!);
		foldedPages.set(text, haystack);
	}
	return haystack;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
/** The word pattern, anchored: the token that starts at `lastIndex`. */
const WORD_AT = new RegExp(WORD.source, 'uy');

function isWordChar(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
	return at < text.length && WORD_CHAR.test(text[at]);
}

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

/** Ranges of `text` to mark: words whose terms matched, and phrase occurrences. */
export function matchRanges(text: string, highlight: Highlight): [number, number][] {
	const haystack = haystackOf(text);
	const ranges =
		(highlight.terms.size ? termRanges(haystack, highlight.terms) : []) ??
		tokenRanges(text, highlight.terms);
	return mergeRanges(ranges.concat(phraseRanges(haystack, highlight.phrases)));
}

function phraseRanges(haystack: Haystack, phrases: Phrase[]): [number, number][] {
	const ranges: [number, number][] = [];
	for (const phrase of phrases) {
		for (const match of haystack.text.matchAll(cachedPattern(phrase))) {
			ranges.push([
				haystack.position(match.index!),
				haystack.position(match.index! + match[0].length)
			]);
		}
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

/** One snippet of `text`, or null when nothing in it matched. */
export function buildSnippet(text: string, highlight: Highlight): string | null {
	return snippetOfRanges(text, matchRanges(text, highlight));
}

/** The snippet of `text` around the best cluster of the marked `ranges` (sorted, disjoint). */
function snippetOfRanges(text: string, ranges: [number, number][]): string | null {
	if (ranges.length === 0) return null;
	// The window that shows the most different matched words wins.
	const marked = ranges.map(([from, to]) => text.slice(from, to).toLowerCase());
	let bestStart = 0;
	let bestScore = -1;
	for (let i = 0; i < ranges.length; i++) {
		const words = new Set<string>();
		for (
			let j = i;
			j < ranges.length && ranges[j][1] <= ranges[i][0] + SNIPPET_LENGTH - LEAD_IN;
			j++
		) {
			words.add(marked[j]);
		}
		const score = words.size * 100 + (ranges.length - i > 0 ? 1 : 0);
		if (score > bestScore) {
			bestScore = score;
			bestStart = ranges[i][0];
		}
	}
	let start = Math.max(0, bestStart - LEAD_IN);
	if (start > 0) {
		const space = text.indexOf(' ', start);
		if (space !== -1 && space < bestStart) start = space + 1;
	}
	let end = Math.min(text.length, start + SNIPPET_LENGTH);
	if (end < text.length) {
		const space = text.lastIndexOf(' ', end);
		if (space > bestStart) end = space;
	}
	// Never cut a mark in two.
	for (const [from, to] of ranges) if (from < end && to > end) end = to;
	let html = start > 0 ? '…' : '';
	let at = start;
	for (const [from, to] of ranges) {
		if (to <= start || from >= end) continue;
		html += escapeHtml(text.slice(at, Math.max(at, from)));
		html += `<mark>${escapeHtml(text.slice(Math.max(from, start), to))}</mark>`;
		at = to;
	}
	html += escapeHtml(text.slice(at, end));
	if (end < text.length) html += '…';
	return html;
}

/** Characters kept on each side of the likely best spot before tokenizing for a snippet. */
const FOCUS_MARGIN = 200;

/**
 * The part of a long page worth tokenizing: around the spot where the most different matched
 * words start within one snippet length, found with plain string search. Tokenizing a whole
 * page for every hit would dominate query time.
 */
function focusExcerpt(text: string, highlight: Highlight): { text: string; start: number } {
	if (text.length <= FOCUS_MARGIN * 3) return { text, start: 0 };
	const lower = text.toLowerCase();
	const keys = [
		...highlight.terms.keys(),
		...highlight.phrases.map((phrase) => phrase.tokens[0] ?? '')
	]
		.map((term) => term.slice(0, Math.max(3, term.length - 1)))
		.filter((key) => key.length >= 2);
	const hits: { at: number; key: number }[] = [];
	keys.forEach((key, index) => {
		for (
			let at = lower.indexOf(key);
			at !== -1 && hits.length < 2000;
			at = lower.indexOf(key, at + 1)
		) {
			hits.push({ at, key: index });
		}
	});
	if (hits.length === 0) return { text, start: 0 };
	hits.sort((a, b) => a.at - b.at);
	let best = hits[0].at;
	let bestCount = 0;
	// Sliding window over the hits, counting how many different keys it holds.
	const inWindow = new Uint16Array(keys.length);
	let distinct = 0;
	for (let i = 0, j = 0; i < hits.length; i++) {
		while (j < hits.length && hits[j].at < hits[i].at + SNIPPET_LENGTH) {
			if (inWindow[hits[j].key]++ === 0) distinct++;
			j++;
		}
		if (distinct > bestCount) {
			bestCount = distinct;
			best = hits[i].at;
		}
		if (--inWindow[hits[i].key] === 0) distinct--;
	}
	let start = Math.max(0, best - FOCUS_MARGIN);
	let end = Math.min(text.length, best + FOCUS_MARGIN + SNIPPET_LENGTH);
	// Cut at spaces so no word is split at the excerpt's edges.
	if (start > 0) start = text.indexOf(' ', start) + 1 || start;
	if (end < text.length) end = Math.max(text.lastIndexOf(' ', end), best + 1);
	return { text: text.slice(start, end), start };
}

/** Snippets of the given pages in order, skipping pages where nothing could be marked. */
export function buildSnippets(
	sources: { page: number; text: string }[],
	highlight: Highlight
): Snippet[] {
	const snippets: Snippet[] = [];
	for (const source of sources) {
		// Usually the matched words are found by string search over the whole page; when not
		// (see termRanges), only the likeliest part of the page is tokenized.
		const haystack = haystackOf(source.text);
		const found = highlight.terms.size ? termRanges(haystack, highlight.terms) : [];
		if (found) {
			const ranges = mergeRanges(found.concat(phraseRanges(haystack, highlight.phrases)));
			const text = snippetOfRanges(source.text, ranges);
			if (text) snippets.push({ page: source.page, text });
			continue;
		}
		const excerpt = focusExcerpt(source.text, highlight);
		let text = buildSnippet(excerpt.text, highlight);
		if (!text && excerpt.text !== source.text) text = buildSnippet(source.text, highlight);
		else if (text && excerpt.start > 0 && !text.startsWith('…')) text = `…${text}`;
		if (text) snippets.push({ page: source.page, text });
	}
	return snippets;
}
