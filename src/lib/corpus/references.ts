/**
 * Finding a paper's reference list in its extracted page texts: the last "References" (or
 * "Bibliography") heading that is followed by numbered or author-year entries, running to the
 * end of the paper or to an appendix after it. The search ranks words found there below words
 * of the paper's own text.
 */

/** Where a paper's reference list is: from `start` on page `page` to `end` on `endPage` (0-based). */
export interface ReferenceSpan {
	page: number;
	start: number;
	endPage: number;
	end: number;
}

// A heading after a sentence, a section number or the page's start, before an entry: `[1]`, `1.`,
// or an author's name (a capital). Extraction joins lines, so headings are inline.
const HEADING =
	/(?<=^|[.!?)\]:]\s+|\d\s+|\s{2})(?:References|REFERENCES|Bibliography|BIBLIOGRAPHY|Literature Cited|Works Cited)(?=\s+(?:\[\d+\]|\d+\.\s|\p{Lu}))/gu;
/** An appendix after the references ends them. */
const APPENDIX =
	/(?<=[.!?]\s+)(?:Appendix|APPENDIX|Appendices|APPENDICES|Supplementary Materials?|SUPPLEMENTARY MATERIALS?)(?=\s+[\p{Lu}\d])/gu;
const YEAR = /\b(?:19|20)\d\d[a-z]?\b/g;
/** How much text after a heading is read to see entries, and how many years it must cite. */
const ENTRY_WINDOW = 1500;
const MIN_YEARS = 2;

/** The span of the paper's reference list, or null when none is found. */
export function findReferences(pages: string[]): ReferenceSpan | null {
	for (let page = pages.length - 1; page >= 0; page--) {
		const headings = [...pages[page].matchAll(HEADING)].reverse();
		for (const heading of headings) {
			const start = heading.index!;
			const after = (pages[page].slice(start) + ' ' + (pages[page + 1] ?? '')).slice(
				0,
				ENTRY_WINDOW
			);
			if ((after.match(YEAR) ?? []).length < MIN_YEARS) continue;
			return { page, start, ...endOfReferences(pages, page, start) };
		}
	}
	return null;
}

function endOfReferences(
	pages: string[],
	page: number,
	start: number
): { endPage: number; end: number } {
	for (let at = page; at < pages.length; at++) {
		APPENDIX.lastIndex = at === page ? start : 0;
		const appendix = APPENDIX.exec(pages[at]);
		if (appendix) return { endPage: at, end: appendix.index };
	}
	return { endPage: pages.length - 1, end: pages[pages.length - 1].length };
}

/** The part `[start, end)` of page `page` (0-based) inside the reference list, or null. */
export function referenceRangeOn(
	span: ReferenceSpan | null,
	page: number,
	pageLength: number
): [number, number] | null {
	if (!span || page < span.page || page > span.endPage) return null;
	const start = page === span.page ? span.start : 0;
	const end = page === span.endPage ? span.end : pageLength;
	return end > start ? [start, end] : null;
}
