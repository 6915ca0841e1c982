/**
 * Layout analysis: from the positioned text runs pdf.js gives for each page to one normalised
 * string per page in reading order. Drops what a reader never searches for (review-draft line
 * numbers, running headers and footers, page numbers), puts two-column pages in reading order
 * (full-width items such as titles first, then the left column, then the right), puts spacing
 * accents back on their letters and joins lines with the shared `joinLines`/`normaliseText`
 * (hyphenation, ligatures), so that the viewer can rebuild the same text.
 */
import {
	hyphenVocabulary,
	joinLines,
	normaliseText,
	type HyphenVocabulary
} from '../text/normalise.ts';
import type { PageFigure, TextSpan } from '../types.ts';
import type { Box } from './figures.ts';

/** A run of text on one baseline, as pdf.js drew it. */
export interface TextRun {
	text: string;
	x0: number;
	x1: number;
	y: number;
	size: number;
	/** Whitespace-only runs only tell us a space was there. */
	blank: boolean;
	endsLine: boolean;
}

/** Neighbouring runs on one baseline without a wide gap: a line, or one column's part of it. */
export interface Segment {
	text: string;
	x0: number;
	x1: number;
	/** Baseline of the segment's largest text (superscripts do not move it). */
	y: number;
	size: number;
}

export interface PageLayout {
	width: number;
	height: number;
	/** Bottom of the page box, so that margins are measured from the box, not from 0. */
	bottom: number;
	left: number;
	segments: Segment[];
	/** Figure boxes found on the page (figures.ts), in the same space as the segments. */
	figures?: Box[];
}

/** One page as read: its text, and its figures with where they sit in that text. */
export interface PageRead {
	text: string;
	figures: PageFigure[];
}

/**
 * Groups runs, in the order pdf.js drew them, into segments: a new segment starts at a line end,
 * a baseline change, a step backwards or a gap wider than a word space could be.
 */
export function runsToSegments(runs: TextRun[]): Segment[] {
	const segments: Segment[] = [];
	let current: (Segment & { dominant: number }) | null = null;
	let pendingSpace = false;
	const close = () => {
		if (current && current.text.trim()) {
			segments.push({
				text: current.text.trim(),
				x0: current.x0,
				x1: current.x1,
				y: current.y,
				size: current.size
			});
		}
		current = null;
		pendingSpace = false;
	};
	for (const run of runs) {
		if (run.blank) {
			if (run.text.length > 0) pendingSpace = true;
			if (run.endsLine) close();
			continue;
		}
		if (current) {
			const seg: Segment & { dominant: number } = current;
			const size = Math.max(seg.size, run.size);
			const gap = run.x0 - seg.x1;
			const sameBaseline = Math.abs(run.y - seg.y) <= 0.6 * size;
			if (sameBaseline && gap > -size && gap < 1.2 * size) {
				const space = pendingSpace || gap > 0.12 * Math.min(seg.size, run.size);
				seg.text += (space ? ' ' : '') + run.text;
				seg.x1 = Math.max(seg.x1, run.x1);
				if (run.size > seg.dominant) {
					seg.dominant = run.size;
					seg.y = run.y;
					seg.size = run.size;
				}
			} else {
				close();
			}
		}
		if (!current) {
			current = {
				text: run.text,
				x0: run.x0,
				x1: run.x1,
				y: run.y,
				size: run.size,
				dominant: run.size
			};
		}
		pendingSpace = false;
		if (run.endsLine) close();
	}
	close();
	return segments;
}

const INTEGER = /^\d{1,4}$/;

/**
 * Drops the line numbers of review drafts: a column of small integers at one x position that
 * count upwards down the page, with no other text in that column.
 */
function dropLineNumbers(segments: Segment[]): Segment[] {
	const numbers = segments.filter((segment) => INTEGER.test(segment.text));
	if (numbers.length < 4) return segments;
	const groups = new Map<number, Segment[]>();
	for (const segment of numbers) {
		// Numbers are right- or left-aligned in their margin: key by the right edge, rounded.
		const key = Math.round(segment.x1 / 4);
		const group = groups.get(key) ?? groups.get(key - 1) ?? groups.get(key + 1) ?? [];
		if (group.length === 0) groups.set(key, group);
		group.push(segment);
	}
	const dropped = new Set<Segment>();
	for (const group of groups.values()) {
		if (group.length < 4) continue;
		const ordered = [...group].sort((a, b) => b.y - a.y);
		let rising = 0;
		for (let i = 1; i < ordered.length; i++) {
			const step = Number(ordered[i].text) - Number(ordered[i - 1].text);
			if (step >= 1 && step <= 3) rising++;
		}
		if (rising < 0.8 * (ordered.length - 1)) continue;
		const x0 = Math.min(...group.map((s) => s.x0));
		const x1 = Math.max(...group.map((s) => s.x1));
		const yTop = ordered[0].y + ordered[0].size;
		const yBottom = ordered[ordered.length - 1].y;
		// A table column of numbers has a heading or other cells centred over it; a margin has none.
		const sharesColumn = segments.some((s) => {
			const centre = (s.x0 + s.x1) / 2;
			return (
				!group.includes(s) &&
				centre > x0 - 2 &&
				centre < x1 + 2 &&
				s.y <= yTop + 2 * s.size &&
				s.y >= yBottom - 2 * s.size
			);
		});
		if (sharesColumn) continue;
		for (const segment of group) dropped.add(segment);
	}
	return dropped.size ? segments.filter((segment) => !dropped.has(segment)) : segments;
}

/** Digits vary between pages (page numbers, dates), so they are masked when comparing lines. */
function marginSignature(text: string): string {
	return normaliseText(text).toLowerCase().replace(/\d+/g, '#');
}

const PAGE_NUMBER = /^(?:page\s*)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** The segments in the top and bottom bands of a page (the first and last two rows). */
function marginSegments(layout: PageLayout): Set<Segment> {
	const rows = [...new Set(layout.segments.map((s) => Math.round(s.y)))].sort((a, b) => b - a);
	const top = new Set(rows.slice(0, 2));
	const bottom = new Set(rows.slice(-2));
	const topLimit = layout.bottom + layout.height * 0.85;
	const bottomLimit = layout.bottom + layout.height * 0.15;
	return new Set(
		layout.segments.filter((s) => {
			const row = Math.round(s.y);
			return (top.has(row) && s.y >= topLimit) || (bottom.has(row) && s.y <= bottomLimit);
		})
	);
}

/**
 * Drops running headers and footers (the same line, digits aside, in the margin of several
 * pages) and bare page numbers in the margins.
 */
function dropRunningLines(layouts: PageLayout[]): Segment[][] {
	const margins = layouts.map(marginSegments);
	const pagesWithSignature = new Map<string, number>();
	for (const margin of margins) {
		const seen = new Set([...margin].map((s) => marginSignature(s.text)));
		for (const signature of seen) {
			pagesWithSignature.set(signature, (pagesWithSignature.get(signature) ?? 0) + 1);
		}
	}
	const repeatedOn = Math.max(2, Math.ceil(layouts.length * 0.3));
	return layouts.map((layout, index) =>
		layout.segments.filter((segment) => {
			if (!margins[index].has(segment)) return true;
			if (PAGE_NUMBER.test(segment.text.trim())) return false;
			const count = pagesWithSignature.get(marginSignature(segment.text)) ?? 0;
			return layouts.length < 3 || count < repeatedOn;
		})
	);
}

interface ColumnSplit {
	gutter: number;
}

/**
 * Finds the gutter of a two-column page: the x position crossed by the least text with enough
 * text on either side. Returns null for single-column pages.
 */
function findGutter(segments: Segment[], left: number, width: number): ColumnSplit | null {
	const body = segments.filter((s) => s.text.length >= 3);
	if (body.length < 10) return null;
	const total = body.reduce((sum, s) => sum + s.text.length, 0);
	const candidates: { gutter: number; crossing: number; band: number }[] = [];
	for (let x = left + width * 0.2; x <= left + width * 0.8; x += 2) {
		let crossing = 0;
		let leftChars = 0;
		let rightChars = 0;
		let leftCount = 0;
		let rightCount = 0;
		let leftEdge = -Infinity;
		let rightEdge = Infinity;
		for (const s of body) {
			if (s.x1 <= x) {
				leftChars += s.text.length;
				leftCount++;
				leftEdge = Math.max(leftEdge, s.x1);
			} else if (s.x0 >= x) {
				rightChars += s.text.length;
				rightCount++;
				rightEdge = Math.min(rightEdge, s.x0);
			} else crossing += s.text.length;
		}
		if (leftCount < 5 || rightCount < 5) continue;
		if (leftChars < 0.05 * total || rightChars < 0.05 * total) continue;
		candidates.push({ gutter: (leftEdge + rightEdge) / 2, crossing, band: rightEdge - leftEdge });
	}
	if (candidates.length === 0) return null;
	const fewest = Math.min(...candidates.map((c) => c.crossing));
	if (fewest > 0.35 * total) return null;
	// Among the cuts crossed by (almost) the least text, the widest empty band is the gutter.
	const best = candidates
		.filter((c) => c.crossing <= fewest + 0.01 * total)
		.reduce((a, b) => (b.band > a.band ? b : a));
	return { gutter: best.gutter };
}

/** How many wide lines in a row, down one column, show where its body begins (not a label). */
const BODY_RUN = 3;

/**
 * Where the two-column body begins on one side of the gutter: the baseline of the first of
 * `BODY_RUN` consecutive lines nearly as wide as the side's widest, and that side's left edge.
 */
function columnBodyStart(side: Segment[]): { top: number; edge: number } | null {
	const widest = Math.max(0, ...side.map((s) => s.x1 - s.x0));
	const wide = side.filter((s) => s.x1 - s.x0 >= 0.6 * widest).sort((a, b) => b.y - a.y);
	for (let i = 0; i + BODY_RUN - 1 < wide.length; i++) {
		const run = wide.slice(i, i + BODY_RUN);
		if (run.every((s, j) => j === 0 || run[j - 1].y - s.y <= 2.5 * s.size)) {
			return { top: run[0].y, edge: Math.min(...wide.map((s) => s.x0)) };
		}
	}
	return null;
}

/**
 * Joins into one segment each row above the two-column body whose pieces lie on both sides of
 * the gutter (an author row of four names, their affiliations), so that it is read across the
 * page rather than cut at the gutter. A row with a piece starting at a column's left edge is
 * column text (a heading beside a figure label) and is left alone.
 */
function joinFullWidthRows(segments: Segment[], gutter: number): Segment[] {
	const leftBody = columnBodyStart(segments.filter((s) => s.x1 <= gutter));
	const rightBody = columnBodyStart(segments.filter((s) => s.x0 >= gutter));
	if (!leftBody || !rightBody) return segments;
	const bodyTop = Math.max(leftBody.top, rightBody.top);
	const atColumnEdge = (s: Segment) =>
		[leftBody.edge, rightBody.edge].some(
			(edge) => Math.abs(s.x0 - edge) <= Math.max(2, 0.2 * s.size)
		);
	const above = segments.filter((s) => s.y - bodyTop > 0.5 * s.size).sort((a, b) => b.y - a.y);
	const rows: Segment[][] = [];
	for (const segment of above) {
		const row = rows.at(-1);
		if (row && Math.abs(row[0].y - segment.y) <= 0.5 * Math.max(row[0].size, segment.size)) {
			row.push(segment);
		} else rows.push([segment]);
	}
	const joined = new Map<Segment, Segment | null>();
	for (const row of rows) {
		if (row.length < 2 || row.some(atColumnEdge)) continue;
		const pieces = [...row].sort((a, b) => a.x0 - b.x0);
		const x0 = pieces[0].x0;
		const x1 = Math.max(...pieces.map((s) => s.x1));
		if (!(x0 < gutter && x1 > gutter)) continue;
		const largest = pieces.reduce((a, b) => (b.size > a.size ? b : a));
		const line = {
			text: pieces.map((s) => s.text).join(' '),
			x0,
			x1,
			y: largest.y,
			size: largest.size
		};
		pieces.forEach((piece, index) => joined.set(piece, index === 0 ? line : null));
	}
	if (joined.size === 0) return segments;
	return segments.flatMap((s) => {
		const replacement = joined.get(s);
		return replacement === undefined ? [s] : replacement ? [replacement] : [];
	});
}

/** How far apart two baselines may be and still be one row, as a share of the smaller text. */
const SAME_ROW = 0.1;

/**
 * Segments top to bottom, left to right within a row. Baselines a rounding error apart are one
 * row: pdf.js gives 490.4170000000001 after a subscript and 490.41700000000003 before it, and
 * sorting on y alone read the end of a line before its start.
 */
function inRows(segments: Segment[]): Segment[] {
	const sorted = [...segments].sort((a, b) => b.y - a.y);
	const ordered: Segment[] = [];
	let row: Segment[] = [];
	const flush = () => ordered.push(...row.sort((a, b) => a.x0 - b.x0));
	for (const segment of sorted) {
		if (row.length && row[0].y - segment.y > SAME_ROW * Math.min(row[0].size, segment.size)) {
			flush();
			row = [];
		}
		row.push(segment);
	}
	flush();
	return ordered;
}

/**
 * Orders the segments of a page for reading. On a two-column page the text crossing the gutter
 * (title, authors, wide figures) cuts the page into bands; each band is read left column first.
 */
function orderForReading(segments: Segment[], left: number, width: number): Segment[] {
	const split = findGutter(segments, left, width);
	if (!split) return inRows(segments);
	const { gutter } = split;
	const rows = joinFullWidthRows(segments, gutter);
	const crossing = inRows(rows.filter((s) => s.x0 < gutter && s.x1 > gutter));
	const ordered: Segment[] = [];
	let remaining = rows.filter((s) => !(s.x0 < gutter && s.x1 > gutter));
	const flushBand = (above: number) => {
		const band = remaining.filter((s) => s.y > above);
		remaining = remaining.filter((s) => s.y <= above);
		const leftSide = inRows(band.filter((s) => s.x1 <= gutter));
		const rightSide = inRows(band.filter((s) => s.x1 > gutter));
		if (readLeftFirst) ordered.push(...leftSide, ...rightSide);
		else ordered.push(...rightSide, ...leftSide);
	};
	// A narrow side column beside a wide one is a margin sidebar (JOSS): read it after the body.
	const widthOf = (side: Segment[]) =>
		side.length ? Math.max(...side.map((s) => s.x1)) - Math.min(...side.map((s) => s.x0)) : 0;
	const leftWidth = widthOf(remaining.filter((s) => s.x1 <= gutter));
	const rightWidth = widthOf(remaining.filter((s) => s.x0 >= gutter));
	const readLeftFirst = leftWidth >= 0.5 * rightWidth;
	for (const wide of crossing) {
		flushBand(wide.y);
		ordered.push(wide);
	}
	flushBand(-Infinity);
	return ordered;
}

/**
 * Merges consecutive segments on one baseline into lines (table cells, split runs); `lineOf`
 * gives the line of each segment.
 */
function segmentsToLines(ordered: Segment[]): { lines: string[]; lineOf: number[] } {
	const lines: string[] = [];
	const lineOf: number[] = [];
	let previous: Segment | null = null;
	for (const segment of ordered) {
		const sameLine =
			previous &&
			Math.abs(segment.y - previous.y) <= 0.5 * Math.max(segment.size, previous.size) &&
			segment.x0 >= previous.x1 - segment.size;
		if (sameLine) lines[lines.length - 1] += ' ' + segment.text;
		else lines.push(segment.text);
		lineOf.push(lines.length - 1);
		previous = segment;
	}
	return { lines, lineOf };
}

/**
 * The index in `ordered` of the segment a figure is read before: after the last text above it
 * in its columns, the first text below its top in its columns (its labels or caption), else the
 * text right after what is above it; `ordered.length` when the figure closes the page.
 */
function figureAnchor(ordered: Segment[], box: Box): number {
	const besideFigure = (segment: Segment) => segment.x0 < box.x1 && segment.x1 > box.x0;
	let lastAbove = -1;
	ordered.forEach((segment, index) => {
		if (besideFigure(segment) && segment.y >= box.y1) lastAbove = index;
	});
	for (let index = lastAbove + 1; index < ordered.length; index++) {
		if (besideFigure(ordered[index]) && ordered[index].y < box.y1) return index;
	}
	return lastAbove + 1;
}

/**
 * Where line `line` starts in the page's text: the length of the text of the lines before it,
 * moved to the next word start when joining split a word across them ("expla-" + "nations").
 */
function lineOffset(
	text: string,
	lines: string[],
	line: number,
	vocabulary: HyphenVocabulary
): number {
	if (line <= 0) return 0;
	if (line >= lines.length) return text.length;
	let at = normaliseText(joinLines(lines.slice(0, line), vocabulary)).length;
	if (text[at] === ' ') return at + 1;
	if (at > 0 && at < text.length && text[at - 1] !== ' ') {
		const space = text.indexOf(' ', at);
		at = space < 0 ? text.length : space + 1;
	}
	return Math.min(at, text.length);
}

/** A caption is read as text even when it lies inside its figure's box. */
const CAPTION_LINE = /^(?:Fig(?:ure)?\.?|Table|Algorithm)\s*\d/i;

/** The label box of a segment, as the figure finder takes labels in (figures.ts). */
const insideBox = (segment: Segment, box: Box) =>
	segment.x0 >= box.x0 - 1 &&
	segment.x1 <= box.x1 + 1 &&
	segment.y - 0.25 * segment.size >= box.y0 - 1 &&
	segment.y + segment.size <= box.y1 + 1;

/**
 * The spans of the page text of the lines printed inside a figure's box (axis ticks, legends,
 * the words of a diagram), which the figure's image shows: every segment of the line inside the
 * box, and not a caption. Adjacent lines make one span.
 */
function labelSpans(
	text: string,
	lines: string[],
	ordered: Segment[],
	lineOf: number[],
	box: Box,
	vocabulary: HyphenVocabulary
): TextSpan[] {
	const inside = lines.map((line) => !CAPTION_LINE.test(line));
	ordered.forEach((segment, index) => {
		if (!insideBox(segment, box)) inside[lineOf[index]] = false;
	});
	const spans: TextSpan[] = [];
	inside.forEach((isLabel, line) => {
		if (!isLabel) return;
		const start = lineOffset(text, lines, line, vocabulary);
		const end = lineOffset(text, lines, line + 1, vocabulary);
		if (end <= start) return;
		const last = spans.at(-1);
		if (last && last.end >= start) last.end = Math.max(last.end, end);
		else spans.push({ start, end });
	});
	return spans;
}

/** A figure's box in fractions of its page (from the top left), rounded to a tenth of a per mille. */
function toPageFigure(box: Box, layout: PageLayout, at: number, labels: TextSpan[]): PageFigure {
	const round = (value: number) => Math.round(value * 10_000) / 10_000;
	const top = layout.bottom + layout.height;
	return {
		x: round((box.x0 - layout.left) / layout.width),
		y: round((top - box.y1) / layout.height),
		width: round((box.x1 - box.x0) / layout.width),
		height: round((box.y1 - box.y0) / layout.height),
		pageAspect: round(layout.height / layout.width),
		at,
		labels
	};
}

/** Spacing accents (TeX draws "ć" as "´" then "c") and the combining marks they stand for. */
const SPACING_ACCENTS: Record<string, string> = {
	'\u00b4': '\u0301',
	'\u02c7': '\u030c',
	'\u00a8': '\u0308',
	'\u02c6': '\u0302',
	'\u02dc': '\u0303',
	'\u02d8': '\u0306',
	'\u02d9': '\u0307',
	'\u02da': '\u030a',
	'\u02dd': '\u030b',
	'\u00b8': '\u0327',
	'\u02db': '\u0328',
	'\u00af': '\u0304'
};
const SPACING_ACCENT_BEFORE_LETTER = new RegExp(
	`([${Object.keys(SPACING_ACCENTS).join('')}])\\s?(\\p{L})`,
	'gu'
);

/** Puts accents drawn as separate glyphs back on their letter ("Doˇsilovi´c" → "Došilović"). */
function attachSpacingAccents(text: string): string {
	return (
		text
			.replace(SPACING_ACCENT_BEFORE_LETTER, (_, accent: string, letter: string) =>
				(letter + SPACING_ACCENTS[accent]).normalize('NFC')
			)
			// pdf.js may already have turned the spacing accent into a space and a combining mark.
			.replace(/\s(\p{M}+)\s?(\p{L})/gu, (_, marks: string, letter: string) =>
				(letter + marks).normalize('NFC')
			)
	);
}

/** The normalised text of every page of one paper, from the layouts of its pages in order. */
export function layoutsToText(layouts: PageLayout[]): string[] {
	return layoutsToPages(layouts).map((page) => page.text);
}

/**
 * The normalised text of every page of one paper, and its figures placed in that text, from
 * the layouts of its pages in order.
 */
export function layoutsToPages(layouts: PageLayout[]): PageRead[] {
	const kept = dropRunningLines(
		layouts.map((layout) => ({ ...layout, segments: dropLineNumbers(layout.segments) }))
	);
	const ordered = layouts.map((layout, index) =>
		orderForReading(kept[index], layout.left, layout.width)
	);
	const pageLines = ordered.map((segments) => {
		const { lines, lineOf } = segmentsToLines(segments);
		return { lines: lines.map(attachSpacingAccents), lineOf };
	});
	// One vocabulary for the whole paper: "multi-modal" on page 1 decides "multi-/modal" on page 2.
	const vocabulary = hyphenVocabulary(pageLines.flatMap((page) => page.lines));
	return layouts.map((layout, index) => {
		const { lines, lineOf } = pageLines[index];
		const text = normaliseText(joinLines(lines, vocabulary));
		const figures = (layout.figures ?? []).map((box) => {
			const anchor = figureAnchor(ordered[index], box);
			const line = anchor < lineOf.length ? lineOf[anchor] : lines.length;
			const labels = labelSpans(text, lines, ordered[index], lineOf, box, vocabulary);
			return toPageFigure(box, layout, lineOffset(text, lines, line, vocabulary), labels);
		});
		return { text, figures };
	});
}
