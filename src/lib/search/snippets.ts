/**
 * Snippets: a short window of a page around the densest cluster of matched words, HTML-escaped,
 * with the matches wrapped in `<mark>`. What is marked is `matchRanges` of the shared
 * `text/match-ranges.ts`, which the reader's highlights use too.
 */
import type { Snippet } from '../types.ts';
import { matchRanges, type Haystack, type Highlight } from '../text/match-ranges.ts';

export type { Highlight };

/** Characters shown around the matches. */
const SNIPPET_LENGTH = 240;
const LEAD_IN = 70;

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** One snippet of `text`, or null when nothing in it matched. */
export function buildSnippet(text: string, highlight: Highlight): string | null {
	return snippetOfRanges(text, matchRanges(text, highlight), [[0, text.length]]);
}

/**
 * The snippet of `text` around the best cluster of the marked `ranges` (sorted, disjoint) that
 * starts inside one of the `stretches`, cut from that stretch only; null when no mark lies in
 * one. Every mark inside the window is shown, whichever stretch it lies in.
 */
function snippetOfRanges(
	text: string,
	ranges: [number, number][],
	stretches: [number, number][]
): string | null {
	// The window that shows the most different matched words wins.
	const marked = ranges.map(([from, to]) => text.slice(from, to).toLowerCase());
	let bestStart = -1;
	let bestScore = -1;
	let bestStretch: [number, number] = [0, text.length];
	for (let i = 0; i < ranges.length; i++) {
		const stretch = stretches.find(
			([first, last]) => ranges[i][0] >= first && ranges[i][1] <= last
		);
		if (!stretch) continue;
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
			bestStretch = stretch;
		}
	}
	if (bestStart < 0) return null;
	const [first, last] = bestStretch;
	let start = Math.max(first, bestStart - LEAD_IN);
	if (start > first) {
		const space = text.indexOf(' ', start);
		if (space !== -1 && space < bestStart) start = space + 1;
	}
	let end = Math.min(last, start + SNIPPET_LENGTH);
	if (end < last) {
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

/** A page to cut a snippet from. */
export interface SnippetSource {
	page: number;
	text: string;
	/**
	 * The stretches of `text` the snippet may be cut from (the whole text when absent): a choice
	 * of passage (the body, not the references), never of what is marked, which is always
	 * `matchRanges` of the whole text, as the reader marks it.
	 */
	stretches?: [number, number][];
	/** `text` folded for matching, when the caller has it (see `haystackOf`). */
	haystack?: Haystack;
}

/** Snippets of the given pages in order, skipping pages where nothing could be marked. */
export function buildSnippets(sources: SnippetSource[], highlight: Highlight): Snippet[] {
	const snippets: Snippet[] = [];
	for (const source of sources) {
		const text = snippetOfSource(source, highlight);
		if (text) snippets.push({ page: source.page, text });
	}
	return snippets;
}

function snippetOfSource(source: SnippetSource, highlight: Highlight): string | null {
	const stretches = source.stretches ?? [[0, source.text.length]];
	const ranges = matchRanges(source.text, highlight, source.haystack);
	return snippetOfRanges(source.text, ranges, stretches);
}
