/**
 * Finding a query in the text layer of a PDF page, the way the search engine does: the
 * text-layer strings are joined into running text exactly as the ingest joins lines (a word
 * hyphenated at a line end is rejoined), and what is marked is the shared `matchRanges` of what
 * the query matched (a {@link Highlight}: index terms and phrases), the very ranges a search
 * snippet marks. Each match is mapped back to character ranges in the text-layer items so the
 * reader can mark them. Pure functions, no DOM.
 */
import { haystackOf, matchRanges, type Haystack, type Highlight } from '../../text/match-ranges.ts';
import {
	endsWithBrokenWord,
	fold,
	foldsToSpace,
	hyphenVocabulary,
	joinLines,
	termsOfToken,
	type HyphenVocabulary
} from '../../text/normalise.ts';

/** The part of a pdf.js `TextItem` the matcher needs. */
export interface TextItemLike {
	str: string;
	hasEOL?: boolean;
}

/** Characters `[start, end)` of text-layer item `item` that belong to a match. */
export interface ItemRange {
	item: number;
	start: number;
	end: number;
}

/** One occurrence on a page: where it is in the joined page text and in the items. */
export interface PageMatch {
	start: number;
	end: number;
	ranges: ItemRange[];
}

/** A word or a phrase to look for, as typed and as folded tokens. */
export interface FindUnit {
	/** As typed, for the case-sensitive comparison. */
	surface: string;
	/** Folded tokens of the unit (one for a word, several for a phrase). */
	words: string[];
}

export interface FindOptions {
	/** Letters must have the case typed. */
	caseSensitive: boolean;
	/**
	 * Whole words, matched through index terms (explanation ~ explanations, Grad-CAM ~ gradcam);
	 * off, any folded substring matches (saliency inside "saliency-based").
	 */
	wholeWord: boolean;
}

export const INDEX_LIKE: FindOptions = { caseSensitive: false, wholeWord: true };

/** A page's items joined into running text, with where every character came from. */
export interface PageText {
	text: string;
	/** Per character of `text`: index of its item, or -1 for a space inserted at a line break. */
	item: Int32Array;
	/** Per character of `text`: offset inside its item. */
	offset: Int32Array;
	/** Line-end hyphens removed when rejoining a word: where in `text` and where in the items. */
	droppedHyphens: { at: number; item: number; offset: number }[];
}

/** A page ready for any number of queries: its text, and that text folded for matching. */
export interface PreparedPage {
	pageText: PageText;
	haystack: Haystack;
}

/** The text lines of a page's items (items concatenated, split after `hasEOL`). */
export function linesOfItems(items: readonly TextItemLike[]): string[] {
	const lines: string[] = [''];
	for (const entry of items) {
		lines[lines.length - 1] += entry.str;
		if (entry.hasEOL) lines.push('');
	}
	return lines.filter((line) => line.trim() !== '');
}

/** How the shared `joinLines` joins two lines: a space, the hyphen kept, or the hyphen dropped. */
function lineJoin(
	previous: string,
	next: string,
	vocabulary: HyphenVocabulary
): 'space' | 'keep-hyphen' | 'drop-hyphen' {
	const a = previous.trim();
	const b = next.trim();
	if (!endsWithBrokenWord(a)) return 'space';
	const joined = joinLines([a, b], vocabulary);
	if (joined === `${a} ${b}`) return 'space';
	return joined.length === a.length + b.length ? 'keep-hyphen' : 'drop-hyphen';
}

/**
 * Joins text-layer items into running text exactly as the ingest's `joinLines` joins lines:
 * items on a line are concatenated, lines are joined by one space, "expla-" at a line end
 * followed by "nations" becomes "explanations", and a real compound ("end-user-" / "friendly")
 * keeps its hyphen. Pass the document's vocabulary, as the ingest does, to decide the same way.
 */
export function joinItems(
	items: readonly TextItemLike[],
	vocabulary: HyphenVocabulary = hyphenVocabulary(linesOfItems(items))
): PageText {
	const chars: string[] = [];
	const itemOf: number[] = [];
	const offsetOf: number[] = [];
	const droppedHyphens: PageText['droppedHyphens'] = [];

	// The full text of the line each item is on, to decide joins as joinLines sees them.
	const lineOfItem: number[] = [];
	const lineTexts: string[] = [''];
	for (const entry of items) {
		lineOfItem.push(lineTexts.length - 1);
		lineTexts[lineTexts.length - 1] += entry.str;
		if (entry.hasEOL) lineTexts.push('');
	}

	let previousLine: string | null = null;
	let currentLine = -1;
	items.forEach((entry, index) => {
		const str = entry.str;
		let from = 0;
		const line = lineOfItem[index];
		if (str.trim() !== '' && line !== currentLine) {
			// First text of a new line: join it to the previous line the way the ingest does.
			if (previousLine !== null && chars.length > 0) {
				while (chars.length && /\s/.test(chars[chars.length - 1])) {
					chars.pop();
					itemOf.pop();
					offsetOf.pop();
				}
				const join = lineJoin(previousLine, lineTexts[line], vocabulary);
				if (join === 'space') {
					chars.push(' ');
					itemOf.push(-1);
					offsetOf.push(-1);
				} else {
					if (join === 'drop-hyphen') {
						chars.pop();
						droppedHyphens.push({
							at: chars.length,
							item: itemOf.pop()!,
							offset: offsetOf.pop()!
						});
					}
					from = str.length - str.trimStart().length;
				}
			}
			currentLine = line;
			previousLine = lineTexts[line];
		}
		for (let i = from; i < str.length; i++) {
			chars.push(str[i]);
			itemOf.push(index);
			offsetOf.push(i);
		}
	});
	return {
		text: chars.join(''),
		item: Int32Array.from(itemOf),
		offset: Int32Array.from(offsetOf),
		droppedHyphens
	};
}

/** Joins and tokenises a page once, so every later query on it is cheap. */
export function preparePage(
	items: readonly TextItemLike[],
	vocabulary?: HyphenVocabulary
): PreparedPage {
	const pageText = joinItems(items, vocabulary);
	return { pageText, haystack: haystackOf(pageText.text) };
}

/**
 * Maps `[start, end)` of the joined text back to ranges in the items. No range starts or ends
 * with whitespace: a phrase whose words are separate items ("post-hoc", " ", "XAI") marks the
 * words, not the space item between them, so that every mark covers exactly matched words.
 */
export function itemRanges(pageText: PageText, start: number, end: number): ItemRange[] {
	const ranges: ItemRange[] = [];
	/** Whitespace met since the last marked character, marked only if a word follows in its item. */
	let pendingSpaces: { item: number; offset: number }[] = [];
	const add = (item: number, offset: number) => {
		const last = ranges[ranges.length - 1];
		if (last && last.item === item && offset >= last.start && offset <= last.end) {
			last.end = Math.max(last.end, offset + 1);
		} else {
			ranges.push({ item, start: offset, end: offset + 1 });
		}
	};
	const addWordCharacter = (item: number, offset: number) => {
		const last = ranges[ranges.length - 1];
		for (const space of pendingSpaces) {
			if (space.item === item && last?.item === item) add(space.item, space.offset);
		}
		pendingSpaces = [];
		add(item, offset);
	};
	for (let i = start; i < end; i++) {
		// A hyphen dropped right before this character belongs to the match too ("expla-|nations").
		for (const hyphen of pageText.droppedHyphens) {
			if (hyphen.at === i && i > start) addWordCharacter(hyphen.item, hyphen.offset);
		}
		const item = pageText.item[i];
		if (item < 0) continue;
		if (foldsToSpace(pageText.text[i])) pendingSpaces.push({ item, offset: pageText.offset[i] });
		else addWordCharacter(item, pageText.offset[i]);
	}
	return ranges;
}

/**
 * The letters of a text folded with the one fold, upper-case where the character they came from
 * is (`Éﬁ` → `Efi`), so that two texts compare by case only.
 */
function caseSkeleton(text: string): string {
	const { text: folded, sourceIndex } = fold(text, { withMap: true });
	let skeleton = '';
	for (let at = 0; at < folded.length; at++) {
		if (!/\p{L}/u.test(folded[at])) continue;
		const source = String.fromCodePoint(text.codePointAt(sourceIndex(at))!);
		skeleton += source === source.toLowerCase() ? folded[at] : folded[at].toUpperCase();
	}
	return skeleton;
}

/** Case-sensitive check: the matched text starts with the letters as typed (stems may differ at the end). */
function sameCase(matched: string, typed: string): boolean {
	const a = caseSkeleton(matched);
	const b = caseSkeleton(typed);
	const length = Math.min(a.length, b.length);
	return a.slice(0, length) === b.slice(0, length);
}

/**
 * What to mark for typed units, before (or without) the server's answer: each word's own index
 * terms, each phrase as typed, and a word the index ignores (a stop word) as a one-word phrase.
 */
export function localHighlight(units: readonly FindUnit[]): Highlight {
	const terms = new Map<string, number>();
	const phrases: Highlight['phrases'] = [];
	for (const unit of units) {
		const wordTerms = unit.words.length === 1 ? termsOfToken(unit.words[0]) : [];
		if (wordTerms.length) for (const term of wordTerms) terms.set(term, 1);
		else phrases.push({ tokens: unit.words, inflected: false });
	}
	return { terms, phrases };
}

/** Substring matches of one unit in the folded page text. */
function substringMatches(page: PreparedPage, unit: FindUnit): [number, number][] {
	const needle = fold(unit.surface).trim();
	if (!needle) return [];
	const { text, position } = page.haystack;
	const found: [number, number][] = [];
	for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
		found.push([position(at), position(at + needle.length)]);
	}
	return found;
}

/**
 * Every occurrence on a page, in reading order, without overlaps. With whole words (the
 * default), the occurrences are exactly the ranges a search snippet of this text marks for
 * `highlight`; `units` (what was typed) serve "match case" and substring finding.
 */
export function findInPage(
	page: PreparedPage,
	units: readonly FindUnit[],
	options: FindOptions = INDEX_LIKE,
	highlight: Highlight = localHighlight(units)
): PageMatch[] {
	const text = page.pageText.text;
	let spans: [number, number][];
	if (options.wholeWord) {
		spans = matchRanges(text, highlight, page.haystack);
	} else {
		spans = units.flatMap((unit) => substringMatches(page, unit));
		spans.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
	}
	const matches: PageMatch[] = [];
	let reached = -1;
	for (const [start, end] of spans) {
		if (start < reached) continue;
		const matched = text.slice(start, end);
		if (options.caseSensitive && !units.some((unit) => sameCase(matched, unit.surface))) continue;
		matches.push({ start, end, ranges: itemRanges(page.pageText, start, end) });
		reached = end;
	}
	return matches;
}

/**
 * Ranges to mark per item, merged and sorted, each tagged with the index of its match on the
 * page, for the DOM highlighter.
 */
export function rangesByItem(
	matches: readonly PageMatch[]
): Map<number, { start: number; end: number; match: number }[]> {
	const byItem = new Map<number, { start: number; end: number; match: number }[]>();
	matches.forEach((match, matchIndex) => {
		for (const range of match.ranges) {
			const list = byItem.get(range.item) ?? [];
			list.push({ start: range.start, end: range.end, match: matchIndex });
			byItem.set(range.item, list);
		}
	});
	for (const list of byItem.values()) list.sort((a, b) => a.start - b.start);
	return byItem;
}
