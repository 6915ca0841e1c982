/**
 * Abstract detection: the abstract a paper's first page marks ("Abstract." / "Abstract—" / an
 * "Abstract" heading), followed onto page 2 when it runs off page 1.
 */
import { joinLines } from '../../src/lib/text/normalise.ts';

const ABSTRACT_START = /(?:^|[\s.])(?:Abstract|ABSTRACT|A B S T R A C T)\s*(?:[.:—–-]\s*)?(?=\S)/;
const ABSTRACT_END = [
	/\s(?:Keywords|Key words|KEYWORDS|Index Terms|INDEX TERMS|CCS Concepts|ACM Reference Format)\b/,
	/\s(?:1\.?|I\.)\s+(?:Introduction|INTRODUCTION)\b/,
	/\s(?:Introduction|INTRODUCTION)\s/
];

/**
 * The running head an LNCS-style even page starts with ("2 A. Author et al.", "4 B. Lee and
 * C. Kim"), which would otherwise sit in the middle of an abstract continued from page 1.
 */
const RUNNING_HEAD =
	/^\d{1,4}\s+(?:\p{Lu}\.\s?(?:-\p{Lu}\.\s?)?)+\s*[\p{L}'-]+(?:\s+[\p{L}'-]+)?\s+(?:et al\.|and\s+(?:\p{Lu}\.\s?)+\s*[\p{L}'-]+)\s+/u;
/**
 * The running head of a single-author paper ("2 A. Author", "6 J.-P. van Dijk"). Nothing marks
 * where the name ends, so the surname is one capitalised word after lower-case particles; a
 * second capitalised word is left to the text, as it may be the page's first word.
 */
const SINGLE_AUTHOR_RUNNING_HEAD =
	/^\d{1,4}\s+(?:\p{Lu}\.\s?(?:-\p{Lu}\.\s?)?)+\s*(?:(?:van|von|der|den|de|del|della|da|di|du|le|la|ten|ter)\s+)*\p{Lu}[\p{L}'’-]*\s+/u;

/** Page 2's text without the running head it starts with, if any. */
function withoutRunningHead(pageText: string): string {
	const text = pageText.trim();
	const withoutHead = text.replace(RUNNING_HEAD, '');
	return withoutHead !== text ? withoutHead : text.replace(SINGLE_AUTHOR_RUNNING_HEAD, '');
}
/** The copyright footer at the foot of a first page, which comes after its text. */
const FIRST_PAGE_FOOTER = /\s(?:©|\(c\)\s+\p{Lu})/u;

/** Where the abstract in `text` ends (a keywords line or the introduction heading), or -1. */
function abstractEnd(text: string): number {
	let end = -1;
	for (const pattern of ABSTRACT_END) {
		const match = pattern.exec(text);
		if (match && (end < 0 || match.index < end)) end = match.index;
	}
	return end;
}

/**
 * Returns the abstract of a paper from the normalised text of its first page when the page
 * clearly marks one ("Abstract." / "Abstract—" / an "Abstract" heading, up to "Keywords" or
 * "Introduction"), else null. An abstract that runs off page 1 is followed onto `secondPageText`
 * (without its running head) up to the same markers; without them there, it is null too.
 */
export function findAbstract(firstPageText: string, secondPageText?: string): string | null {
	const start = ABSTRACT_START.exec(firstPageText);
	if (!start) return null;
	const rest = firstPageText.slice(start.index + start[0].length);
	let abstract: string;
	const end = abstractEnd(rest);
	if (end >= 0) {
		abstract = rest.slice(0, end).trim();
	} else {
		if (!secondPageText) return null;
		const footer = FIRST_PAGE_FOOTER.exec(rest);
		const onFirstPage = footer ? rest.slice(0, footer.index) : rest;
		// A leading space lets a heading at the very top of page 2 end the abstract there.
		const continuation = ` ${withoutRunningHead(secondPageText)}`;
		const endOnSecondPage = abstractEnd(continuation);
		if (endOnSecondPage < 0) return null;
		abstract = joinLines([onFirstPage, continuation.slice(0, endOnSecondPage)]).trim();
	}
	// Too short is a heading that was not followed by the abstract; too long, a missed end.
	if (abstract.length < 100 || abstract.length > 4000) return null;
	return abstract;
}
