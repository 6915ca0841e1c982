/**
 * Snippets: a short window of a page around the densest cluster of matched words, HTML-escaped,
 * with the matches wrapped in `<mark>`. What is marked is `matchRanges` of the shared
 * `text/match-ranges.ts`, which the reader's highlights use too.
 */
import type { Snippet } from '../types.ts';
import {
	haystackOf,
	matchRanges,
	mergeRanges,
	phraseRanges,
	termRanges,
	type Highlight
} from '../text/match-ranges.ts';

export type { Highlight };

/** Characters shown around the matches. */
const SNIPPET_LENGTH = 240;
const LEAD_IN = 70;

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
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
