/**
 * The text view of a page: the page's indexed text (one run of words, as the ingest joined its
 * lines) cut back into paragraphs a phone can show, and the query's matches in each paragraph,
 * found by the same matcher as the text layer's highlights.
 */
import type { Highlight } from '../../text/match-ranges.ts';
import {
	findInPage,
	localHighlight,
	preparePage,
	type FindOptions,
	type FindUnit
} from './match.ts';

/** A stretch of a paragraph, marked when it is (part of) a match. */
export interface TextRun {
	text: string;
	mark: boolean;
}

/** Captions and section headings start a paragraph of their own (a heading with its number). */
const BLOCK_START =
	/(?<!\b\d{1,2}(?:\.\d{1,2}){0,2}\.?)\s(?=(?:Fig(?:ure)?\.?|Table|Algorithm)\s+\d+[.:]|(?:\d{1,2}(?:\.\d{1,2}){0,2}\.?\s+)?(?:Abstract|Introduction|Related Work|Background|Methods?|Materials and Methods|Experiments?|Results|Discussion|Conclusions?|Limitations|References|Acknowledge?ments)\b(?!\s+[a-z])|\[\d{1,3}\]\s)/g;

/** A sentence end: stop, space, then a capital, not after a short abbreviation ("Fig.", "al."). */
const SENTENCE_END =
	/(?<!\b(?:Fig|al|e\.g|i\.e|vs|cf|Eq|Sec|No|et|resp)\.)(?<=[.!?])\s+(?=[A-Z(])/g;

/** Paragraphs longer than this are cut at the next sentence end past it. */
const PARAGRAPH_CHARS = 600;

/** Cuts a page's running text into paragraphs: at captions and headings, then every few sentences. */
export function reflowPageText(text: string): string[] {
	const blocks = text
		.replace(/\s+/g, ' ')
		.trim()
		.split(BLOCK_START)
		.map((block) => block.trim())
		.filter(Boolean);
	return blocks.flatMap(splitLongBlock);
}

function splitLongBlock(block: string): string[] {
	const paragraphs: string[] = [];
	let start = 0;
	for (const end of block.matchAll(SENTENCE_END)) {
		if (end.index - start < PARAGRAPH_CHARS) continue;
		paragraphs.push(block.slice(start, end.index).trim());
		start = end.index + end[0].length;
	}
	paragraphs.push(block.slice(start).trim());
	return paragraphs.filter(Boolean);
}

/**
 * A paragraph as runs of plain and marked text: the marks are where `units` match in it, as
 * `highlight` says (`FindState.highlightSpec`: the engine's match spec when
 * it has answered), so the text view marks what the text layer marks.
 */
export function markedRuns(
	paragraph: string,
	units: readonly FindUnit[],
	options: FindOptions,
	highlight: Highlight = localHighlight(units)
): TextRun[] {
	if (!units.length) return [{ text: paragraph, mark: false }];
	const prepared = preparePage([{ str: paragraph, hasEOL: false }]);
	const ranges = findInPage(prepared, units, options, highlight)
		.flatMap((match) => match.ranges)
		.sort((a, b) => a.start - b.start);
	const runs: TextRun[] = [];
	let at = 0;
	for (const range of ranges) {
		if (range.start < at) continue;
		if (range.start > at) runs.push({ text: paragraph.slice(at, range.start), mark: false });
		runs.push({ text: paragraph.slice(range.start, range.end), mark: true });
		at = range.end;
	}
	if (at < paragraph.length) runs.push({ text: paragraph.slice(at), mark: false });
	return runs;
}
