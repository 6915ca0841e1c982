/**
 * The one text normaliser and tokenizer of Glassbox. The ingest (PDF text, metadata), the search
 * index, the snippets and the reader's highlighting all go through these functions, so that what
 * the index matched is exactly what the reader highlights.
 *
 * Imported from scripts/ and from the browser: relative imports only, no Node APIs.
 */

/** Characters that carry no text but break words when left in (soft hyphen, zero-width marks). */
const INVISIBLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
/** Every dash-like character folds to the ASCII hyphen so compounds tokenise one way. */
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
const QUOTES_SINGLE = /[\u2018\u2019\u201a\u201b\u2032]/g;
const QUOTES_DOUBLE = /[\u201c\u201d\u201e\u201f\u2033]/g;

/**
 * Normalises extracted or typed text for display and indexing: ligatures expanded (NFKC),
 * invisible characters dropped, dashes and quotes made plain, whitespace folded.
 */
export function normaliseText(raw: string): string {
	return raw
		.normalize('NFKC')
		.replace(INVISIBLE, '')
		.replace(DASHES, '-')
		.replace(QUOTES_SINGLE, "'")
		.replace(QUOTES_DOUBLE, '"')
		.replace(/\s+/g, ' ')
		.trim();
}

/** Folds one normalised character for matching: lower case, accents removed (Müller ~ Muller). */
function foldChar(ch: string): string {
	const lower = ch.toLowerCase();
	if (lower === 'ß') return 'ss';
	if (lower === 'ø') return 'o';
	if (lower === 'æ') return 'ae';
	if (lower === 'œ') return 'oe';
	if (lower === 'ł') return 'l';
	return lower.normalize('NFD').replace(/\p{M}+/gu, '');
}

/** Case- and accent-folds a string for matching; the result is what terms are made of. */
export function foldForMatch(text: string): string {
	return foldWithMap(text).text;
}

export interface FoldedText {
	/** Folded text (see {@link foldForMatch}); whitespace runs become one space. */
	text: string;
	/** `map[i]` is the index in the original string of folded character `i`; `map[text.length]` is the original length. */
	map: number[];
}

/**
 * Folds text like {@link foldForMatch} while remembering where each folded character came
 * from, so a match found in folded text can be marked in the original (snippets, text layer).
 */
export function foldWithMap(original: string): FoldedText {
	let text = '';
	const map: number[] = [];
	let lastWasSpace = false;
	for (let i = 0; i < original.length; ) {
		const code = original.codePointAt(i)!;
		const ch = String.fromCodePoint(code);
		const width = ch.length;
		if (/\s/.test(ch)) {
			if (!lastWasSpace) {
				text += ' ';
				map.push(i);
				lastWasSpace = true;
			}
			i += width;
			continue;
		}
		lastWasSpace = false;
		const plain = ch
			.normalize('NFKC')
			.replace(INVISIBLE, '')
			.replace(DASHES, '-')
			.replace(QUOTES_SINGLE, "'")
			.replace(QUOTES_DOUBLE, '"');
		for (const part of plain) {
			for (const folded of foldChar(part)) {
				text += folded;
				map.push(i);
			}
		}
		i += width;
	}
	map.push(original.length);
	return { text, map };
}

/**
 * Joins the lines of a page into running text: a word split by a hyphen at a line end is
 * rejoined ("expla-" + "nations" → "explanations"), other lines are joined by a space.
 */
export function joinLines(lines: string[]): string {
	let out = '';
	for (const rawLine of lines) {
		const line = rawLine.trim();
		if (!line) continue;
		if (out && endsWithBrokenWord(out) && /^\p{Ll}/u.test(line)) {
			out = out.slice(0, -1) + line;
		} else {
			out = out ? `${out} ${line}` : line;
		}
	}
	return out;
}

/** True when text ends in "<letter>-", i.e. a word hyphenated at the end of a line. */
export function endsWithBrokenWord(text: string): boolean {
	return /\p{L}-$/u.test(text) && !/\s-$/.test(text);
}

// ---------------------------------------------------------------- tokens and terms

export interface Token {
	/** Folded surface form, not stemmed (`grad-cam`, `t1-weighted`, `explanations`). */
	text: string;
	/** Range in the original string. */
	start: number;
	end: number;
}

/** A word: letters and digits, optionally joined by inner hyphens, apostrophes or dots (U-Net, T1-weighted, e.g). */
const WORD = /[\p{L}\p{N}]+(?:['\-.][\p{L}\p{N}]+)*/gu;

/** Splits text into word tokens with their positions in the original string. */
export function tokenize(original: string): Token[] {
	const { text, map } = foldWithMap(original);
	const tokens: Token[] = [];
	for (const match of text.matchAll(WORD)) {
		const start = match.index!;
		const end = start + match[0].length;
		tokens.push({ text: match[0], start: map[start], end: map[end] ?? original.length });
	}
	return tokens;
}

export const STOP_WORDS = new Set(
	(
		'a an and are as at be been but by can could did do does for from had has have he her his ' +
		'how i if in into is it its may might more most must no nor not of on or our she should so ' +
		'such than that the their them then there these they this those through to too us was we ' +
		'were what when where which while who whom why will with would you your also however thus ' +
		'using used use based via et al'
	).split(' ')
);

/**
 * A light English stemmer for plural and simple inflections (explanations ~ explanation,
 * studies ~ study, labelled ~ label). Deliberately conservative: technical terms stay readable.
 */
export function stem(term: string): string {
	if (term.length <= 3 || /\d/.test(term)) return term;
	if (term.endsWith('ies') && term.length > 4) return term.slice(0, -3) + 'y';
	if (/(sses|xes|ches|shes|zes)$/.test(term)) return term.slice(0, -2);
	if (term.endsWith('ss') || term.endsWith('us') || term.endsWith('is')) return term;
	if (term.endsWith('s') && !term.endsWith('ss')) return term.slice(0, -1);
	return term;
}

/** Splits a folded compound token into its parts (`grad-cam` → `grad`, `cam`). */
export function compoundParts(token: string): string[] {
	return token.split(/['\-.]/).filter(Boolean);
}

/**
 * The index terms of one token: the joined compound (`gradcam`), and each part (`grad`, `cam`),
 * stemmed, without stop words. `Grad-CAM`, `gradcam` and `grad cam` therefore share terms.
 */
export function termsOfToken(token: string): string[] {
	const parts = compoundParts(token);
	if (parts.length === 1) {
		const term = parts[0];
		return STOP_WORDS.has(term) ? [] : [stem(term)];
	}
	const terms = [stem(parts.join(''))];
	for (const part of parts) if (!STOP_WORDS.has(part) && part.length > 1) terms.push(stem(part));
	return terms;
}

/** Every index term of a text, in order; what MiniSearch indexes. */
export function indexTerms(text: string): string[] {
	return tokenize(text).flatMap((token) => termsOfToken(token.text));
}
