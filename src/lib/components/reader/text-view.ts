/**
 * The text view of a page: the page's indexed text (one run of words, as the ingest joined its
 * lines) cut back into paragraphs a phone can show, the page's figures between them where they
 * are read, and the query's matches on the whole page, found by the same matcher as the text
 * layer's highlights and split across the paragraphs they cross.
 */
import type { PageFigure, TextSpan } from '../../types.ts';
import type { Highlight } from '../../text/match-ranges.ts';
import {
	findInPage,
	localHighlight,
	preparePage,
	type FindOptions,
	type FindUnit
} from './match.ts';

/** A stretch of a paragraph; `match` is the index on the page of the match it is (part of). */
export interface TextRun {
	text: string;
	mark: boolean;
	match?: number;
}

export type { TextSpan };

/**
 * What the text view shows, in reading order: paragraphs as runs, and figures between them; a
 * figure lists the matches printed inside it (in its labels, which only its image shows).
 */
export type TextBlock =
	| { kind: 'paragraph'; runs: TextRun[] }
	| { kind: 'figure'; figure: PageFigure; number: number; matches: number[] };

/** Captions and section headings start a paragraph of their own (a heading with its number). */
const BLOCK_START =
	/(?<!\b\d{1,2}(?:\.\d{1,2}){0,2}\.?)\s(?=(?:Fig(?:ure)?\.?|Table|Algorithm)\s+\d+[.:]|(?:\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+)?(?:Abstract|Introduction|Related Work|Background|Methods?|Materials and Methods|Experiments?|Results|Discussion|Conclusions?|Limitations|References|Acknowledge?ments)\b(?!\s+[a-z])|\[\d{1,3}\]\s)/g;

/** A sentence end: stop, space, then a capital, not after a short abbreviation ("Fig.", "al."). */
const SENTENCE_END =
	/(?<!\b(?:Fig|al|e\.g|i\.e|vs|cf|Eq|Sec|No|et|resp)\.)(?<=[.!?])\s+(?=[A-Z(])/g;

/** Paragraphs longer than this are cut at the next sentence end past it. */
const PARAGRAPH_CHARS = 600;

/**
 * Where a page's running text is cut into paragraphs: at captions and headings, at `breaks`
 * (where figures sit), then every few sentences. Spans are trimmed and in order.
 */
export function paragraphSpans(text: string, breaks: readonly number[] = []): TextSpan[] {
	const cuts: { end: number; next: number }[] = [];
	for (const match of text.matchAll(BLOCK_START)) {
		cuts.push({ end: match.index, next: match.index + match[0].length });
	}
	for (const at of breaks) if (at > 0 && at < text.length) cuts.push({ end: at, next: at });
	cuts.sort((a, b) => a.end - b.end);
	const blocks: TextSpan[] = [];
	let start = 0;
	for (const cut of [...cuts, { end: text.length, next: text.length }]) {
		if (cut.end < start) continue;
		const block = trimSpan(text, { start, end: cut.end });
		if (block) blocks.push(block);
		start = cut.next;
	}
	return blocks.flatMap((block) => splitLongBlock(text, block));
}

/** The span without the whitespace at either end; null when nothing is left. */
function trimSpan(text: string, { start, end }: TextSpan): TextSpan | null {
	while (start < end && /\s/.test(text[start])) start++;
	while (end > start && /\s/.test(text[end - 1])) end--;
	return end > start ? { start, end } : null;
}

function splitLongBlock(text: string, block: TextSpan): TextSpan[] {
	const spans: TextSpan[] = [];
	const body = text.slice(block.start, block.end);
	let start = 0;
	for (const end of body.matchAll(SENTENCE_END)) {
		if (end.index - start < PARAGRAPH_CHARS) continue;
		spans.push({ start: block.start + start, end: block.start + end.index });
		start = end.index + end[0].length;
	}
	spans.push({ start: block.start + start, end: block.end });
	return spans.flatMap((span) => trimSpan(text, span) ?? []);
}

/** Cuts a page's running text into paragraphs: at captions and headings, then every few sentences. */
export function reflowPageText(text: string): string[] {
	return paragraphSpans(text).map(({ start, end }) => text.slice(start, end));
}

/**
 * The matches of `units` on the whole page text, as `highlight` says (`FindState.highlightSpec`:
 * the engine's match spec when it has answered), so the text view marks what the text layer
 * marks, a phrase across a paragraph break included.
 */
export function pageMatches(
	text: string,
	units: readonly FindUnit[],
	options: FindOptions,
	highlight: Highlight = localHighlight(units)
): TextSpan[] {
	if (!units.length) return [];
	const prepared = preparePage([{ str: text, hasEOL: false }]);
	return findInPage(prepared, units, options, highlight).map(({ start, end }) => ({ start, end }));
}

/** A span of the page as runs of plain and marked text, `matches` (in page order) cut to it. */
export function runsOfSpan(text: string, span: TextSpan, matches: readonly TextSpan[]): TextRun[] {
	const runs: TextRun[] = [];
	let at = span.start;
	matches.forEach((match, index) => {
		const start = Math.max(match.start, at);
		const end = Math.min(match.end, span.end);
		if (end <= start) return;
		if (start > at) runs.push({ text: text.slice(at, start), mark: false });
		runs.push({ text: text.slice(start, end), mark: true, match: index });
		at = end;
	});
	if (at < span.end) runs.push({ text: text.slice(at, span.end), mark: false });
	return runs;
}

/** A paragraph on its own as runs of plain and marked text (see {@link pageMatches}). */
export function markedRuns(
	paragraph: string,
	units: readonly FindUnit[],
	options: FindOptions,
	highlight?: Highlight
): TextRun[] {
	const matches = pageMatches(paragraph, units, options, highlight);
	return runsOfSpan(paragraph, { start: 0, end: paragraph.length }, matches);
}

/**
 * The span less the parts `hidden` covers (sorted, not overlapping one another), each piece
 * trimmed; nothing when all of it is hidden.
 */
function withoutHidden(text: string, span: TextSpan, hidden: readonly TextSpan[]): TextSpan[] {
	const pieces: TextSpan[] = [];
	let start = span.start;
	for (const part of hidden) {
		if (part.end <= start || part.start >= span.end) continue;
		if (part.start > start) pieces.push({ start, end: part.start });
		start = Math.max(start, part.end);
	}
	if (start < span.end) pieces.push({ start, end: span.end });
	return pieces.flatMap((piece) => trimSpan(text, piece) ?? []);
}

/**
 * The text view of one page: its paragraphs marked with the page's matches, and each figure
 * before the paragraph it is read before (after the last one when it closes the page). The
 * text printed inside a figure (its labels) is left out: the figure's image shows it.
 */
export function textViewBlocks(
	text: string,
	figures: readonly PageFigure[],
	matches: readonly TextSpan[]
): TextBlock[] {
	const hidden = figures
		.flatMap((figure) => figure.labels)
		.sort((a, b) => a.start - b.start || a.end - b.end);
	const spans = paragraphSpans(
		text,
		figures.map((figure) => figure.at)
	).flatMap((span) => withoutHidden(text, span, hidden));
	// A match in a figure's labels is counted by the find bar like any other: the figure stands
	// for it, so that selecting it shows where it is instead of nothing.
	const inLabels = (figure: PageFigure) =>
		matches.flatMap((match, index) =>
			figure.labels.some((label) => match.start < label.end && match.end > label.start)
				? [index]
				: []
		);
	const ordered = figures
		.map((figure, index) => ({ figure, number: index + 1, matches: inLabels(figure) }))
		.sort((a, b) => a.figure.at - b.figure.at || a.number - b.number);
	const blocks: TextBlock[] = [];
	let next = 0;
	for (const span of spans) {
		while (next < ordered.length && ordered[next].figure.at <= span.start) {
			blocks.push({ kind: 'figure', ...ordered[next++] });
		}
		blocks.push({ kind: 'paragraph', runs: runsOfSpan(text, span, matches) });
	}
	for (; next < ordered.length; next++) blocks.push({ kind: 'figure', ...ordered[next] });
	return blocks;
}
