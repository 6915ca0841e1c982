/**
 * Snippets: a short window of a page around the densest cluster of matched words, HTML-escaped,
 * with the matches wrapped in `<mark>`. Matching goes through the same tokenizer as the index,
 * so a word is marked exactly when it produced a matched index term.
 */
import type { Snippet } from '../types.ts';
import { foldWithMapFast, termsOfToken, tokenize } from '../text/normalise.ts';

export interface Highlight {
	/** Matched index terms, with the weight of the match (exact 1, expansions less). */
	terms: Map<string, number>;
	/** Typed phrases as folded tokens. */
	phrases: string[][];
}

/** Characters shown around the matches. */
const SNIPPET_LENGTH = 240;
const LEAD_IN = 70;

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A pattern that finds a phrase's tokens in folded text, in order, separated by anything that
 * is not a letter or digit (so `grad cam` also finds `Grad-CAM`).
 */
export function phrasePattern(tokens: string[], flags = 'u'): RegExp {
	const parts = tokens
		.flatMap((token) => token.split(/['\-.]/))
		.filter(Boolean)
		.map(escapeRegExp);
	return new RegExp(
		`(?<![\\p{L}\\p{N}])${parts.join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`,
		flags
	);
}

const patternCache = new Map<string, RegExp>();

/** The global phrase pattern of a phrase, compiled once (queries repeat). */
function cachedPattern(phrase: string[]): RegExp {
	const key = phrase.join(' ');
	let pattern = patternCache.get(key);
	if (!pattern) {
		if (patternCache.size > 500) patternCache.clear();
		pattern = phrasePattern(phrase, 'gu');
		patternCache.set(key, pattern);
	}
	return pattern;
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

/** Ranges of `text` to mark: words whose terms matched, and phrase occurrences. */
export function matchRanges(text: string, highlight: Highlight): [number, number][] {
	const ranges: [number, number][] = [];
	// Pages repeat their words; deciding once per distinct word saves most of the stemming.
	const decided = new Map<string, boolean>();
	for (const token of highlight.terms.size ? tokenize(text) : []) {
		let marked = decided.get(token.text);
		if (marked === undefined) {
			marked = cachedTermsOfToken(token.text).some((term) => highlight.terms.has(term));
			decided.set(token.text, marked);
		}
		if (marked) ranges.push([token.start, token.end]);
	}
	if (highlight.phrases.length) {
		// ASCII text folds to its lower case with positions unchanged; other text needs the map.
		const ascii = !/[^\t\n\r -~]/.test(text);
		const folded = ascii ? null : foldWithMapFast(text);
		const haystack = folded ? folded.text : text.toLowerCase();
		const position = (at: number) => (folded ? folded.map[at] : at);
		for (const phrase of highlight.phrases) {
			for (const match of haystack.matchAll(cachedPattern(phrase))) {
				ranges.push([position(match.index!), position(match.index! + match[0].length)]);
			}
		}
	}
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
	const ranges = matchRanges(text, highlight);
	if (ranges.length === 0) return null;
	// The window that shows the most different matched words wins.
	let bestStart = 0;
	let bestScore = -1;
	for (let i = 0; i < ranges.length; i++) {
		const words = new Set<string>();
		for (
			let j = i;
			j < ranges.length && ranges[j][1] <= ranges[i][0] + SNIPPET_LENGTH - LEAD_IN;
			j++
		) {
			words.add(text.slice(ranges[j][0], ranges[j][1]).toLowerCase());
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
	const keys = [...highlight.terms.keys(), ...highlight.phrases.map((phrase) => phrase[0] ?? '')]
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
		const excerpt = focusExcerpt(source.text, highlight);
		let text = buildSnippet(excerpt.text, highlight);
		if (!text && excerpt.text !== source.text) text = buildSnippet(source.text, highlight);
		else if (text && excerpt.start > 0 && !text.startsWith('…')) text = `…${text}`;
		if (text) snippets.push({ page: source.page, text });
	}
	return snippets;
}
