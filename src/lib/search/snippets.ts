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

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Ranges of `text` to mark: words whose terms matched, and phrase occurrences. */
export function matchRanges(text: string, highlight: Highlight): [number, number][] {
	const ranges: [number, number][] = [];
	for (const token of tokenize(text)) {
		if (termsOfToken(token.text).some((term) => highlight.terms.has(term))) {
			ranges.push([token.start, token.end]);
		}
	}
	if (highlight.phrases.length) {
		const folded = foldWithMapFast(text);
		for (const phrase of highlight.phrases) {
			for (const match of folded.text.matchAll(phrasePattern(phrase, 'gu'))) {
				ranges.push([folded.map[match.index!], folded.map[match.index! + match[0].length]]);
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

/** Snippets of the given pages in order, skipping pages where nothing could be marked. */
export function buildSnippets(
	sources: { page: number; text: string }[],
	highlight: Highlight
): Snippet[] {
	const snippets: Snippet[] = [];
	for (const source of sources) {
		const text = buildSnippet(source.text, highlight);
		if (text) snippets.push({ page: source.page, text });
	}
	return snippets;
}
