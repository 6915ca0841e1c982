/**
 * The one text normaliser and tokenizer of Glassbox. The ingest (PDF text, metadata), the search
 * index, the snippets and the reader's highlighting all go through these functions, so that what
 * the index matched is exactly what the reader highlights.
 *
 * Imported from scripts/ and from the browser: relative imports only, no Node APIs.
 */

/** Characters that carry no text but break words when left in (soft hyphen, zero-width marks). */
const INVISIBLE_CHARACTER = /[\u00ad\u200b-\u200d\u2060\ufeff]/;
const INVISIBLE = new RegExp(INVISIBLE_CHARACTER.source, 'g');
/**
 * Whether the fold turns `char` into a space: whitespace it does not drop as invisible (the
 * zero-width no-break space U+FEFF is both, and is dropped).
 */
export function foldsToSpace(char: string): boolean {
	return /\s/.test(char) && !INVISIBLE_CHARACTER.test(char);
}

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

/** Letters that keep no accent mark to strip but have a plain spelling (Müller ~ Muller, Søren ~ Soren). */
const SPECIAL_LETTERS: Record<string, string> = {
	ß: 'ss',
	ø: 'o',
	æ: 'ae',
	œ: 'oe',
	ł: 'l',
	ς: 'σ'
};
const SPECIAL = /[ßøæœłς]/g;
const MARKS = /\p{M}+/gu;
/** Anything but printable ASCII, tab, line feed and carriage return takes the careful path. */
const NON_ASCII = /[^\t\n\r -~]/;
const NON_ASCII_ALL = /[^\t\n\r -~]/g;
/** A run of whitespace to fold into one space (a lone space is left alone, which is cheaper). */
const SPACE_RUN = /\s{2,}|[^\S ]/g;
const TWO_SPACES = / {2}/;

/**
 * Whether printable ASCII text (with tabs and line breaks) has whitespace to fold: every such
 * run holds a tab, a line break or two spaces. Measured on bench pages, single-character
 * `includes` and this literal regex are several times faster than one regex with a class.
 */
function hasAsciiSpaceToFold(text: string): boolean {
	return text.includes('\n') || text.includes('\t') || text.includes('\r') || TWO_SPACES.test(text);
}

/**
 * Whether text stored as bytes `bytes[start, end)` (UTF-8 or Latin-1) is printable ASCII with no
 * whitespace but single spaces: text that {@link fold} only lower-cases, position for position.
 * Lets a caller holding a page's bytes decide once, instead of scanning its string every time.
 */
export function foldsToLowerCase(bytes: Uint8Array, start: number, end: number): boolean {
	let previous = 0;
	for (let i = start; i < end; i++) {
		const byte = bytes[i];
		if (byte < 32 || byte > 126 || (byte === 32 && previous === 32)) return false;
		previous = byte;
	}
	return true;
}

/** The position map of text folded to its lower case, position for position. */
const samePosition = (at: number): number => at;

/** Folded forms of the non-ASCII characters met so far: pages repeat the few they use. */
const foldedCodePoints = new Map<number, string>();

/** Folds one non-ASCII character (a code point) the way {@link fold} folds it anywhere. */
function foldCodePoint(code: number): string {
	let folded = foldedCodePoints.get(code);
	if (folded === undefined) {
		if (foldedCodePoints.size >= 20_000) foldedCodePoints.clear();
		folded = String.fromCodePoint(code)
			.normalize('NFKC')
			.replace(INVISIBLE, '')
			.replace(DASHES, '-')
			.replace(QUOTES_SINGLE, "'")
			.replace(QUOTES_DOUBLE, '"')
			.toLowerCase()
			.normalize('NFD')
			.replace(MARKS, '')
			.replace(SPECIAL, (ch) => SPECIAL_LETTERS[ch]);
		foldedCodePoints.set(code, folded);
	}
	return folded;
}

/** A text folded by {@link fold}, with the way back to the original. */
export interface FoldedText {
	/** The folded text, exactly what `fold(original)` returns. */
	text: string;
	/**
	 * Index in the original of the character folded character `at` came from (a ligature's
	 * letters all point at the ligature); `sourceIndex(text.length)` is the original's length.
	 */
	sourceIndex: (at: number) => number;
}

/**
 * The one fold of Glassbox, what index terms, snippets, the reader's find and author keys are
 * made of: each character is expanded (NFKC: ligatures, full-width forms), stripped of invisible
 * marks (soft hyphens, zero-width characters), its dashes and quotes made ASCII, lower-cased and
 * stripped of accents (decomposed or composed alike; ß → ss, ø → o), and every run of
 * whitespace becomes one space. Not trimmed. With `{ withMap: true }` it also says where each
 * folded character came from, so a match in folded text can be marked in the original.
 */
export function fold(original: string): string;
export function fold(original: string, options: FoldOptions): FoldedText;
export function fold(original: string, options?: FoldOptions): string | FoldedText {
	return options?.withMap
		? foldMapped(original, options.lowerCaseOnly ?? false)
		: foldPlain(original);
}

/** Options of {@link fold} with its position map. */
export interface FoldOptions {
	withMap: true;
	/**
	 * The caller knows that the text folds to its lower case (see {@link foldsToLowerCase}), so
	 * it is not scanned for other characters: for pages checked once on their bytes.
	 */
	lowerCaseOnly?: boolean;
}

/** Case- and accent-folds a string: see {@link fold}. */
function foldPlain(original: string): string {
	NON_ASCII_ALL.lastIndex = 0;
	let found = NON_ASCII_ALL.exec(original);
	if (!found) {
		// The fast path: printable ASCII folds to its lower case.
		const lower = original.toLowerCase();
		return hasAsciiSpaceToFold(lower) ? lower.replace(SPACE_RUN, ' ') : lower;
	}
	// ASCII stretches are lower-cased natively in one call each; only other characters are
	// folded one by one, and whitespace is folded once at the end.
	let text = '';
	let from = 0;
	for (; found; found = NON_ASCII_ALL.exec(original)) {
		const code = original.codePointAt(found.index)!;
		text += original.slice(from, found.index).toLowerCase() + foldCodePoint(code);
		from = found.index + (code > 0xffff ? 2 : 1);
		NON_ASCII_ALL.lastIndex = from;
	}
	text += original.slice(from).toLowerCase();
	return text.replace(SPACE_RUN, ' ');
}

/** {@link fold} with the position map. */
function foldMapped(original: string, lowerCaseOnly: boolean): FoldedText {
	if (lowerCaseOnly || (!NON_ASCII.test(original) && !hasAsciiSpaceToFold(original))) {
		// Printable ASCII with single spaces folds to its lower case, positions unchanged.
		return { text: original.toLowerCase(), sourceIndex: samePosition };
	}
	// ASCII stretches are lower-cased natively and joined once at the end, and the map is a typed
	// array: adding the folded text and the map a character at a time made folding a page with a
	// few accents several times slower.
	const parts: string[] = [];
	let map = new Uint32Array(original.length + 16);
	let length = 0;
	const point = (at: number) => {
		if (length === map.length) {
			const bigger = new Uint32Array(map.length * 2);
			bigger.set(map);
			map = bigger;
		}
		map[length++] = at;
	};
	let lastWasSpace = false;
	for (let i = 0; i < original.length;) {
		const code = original.charCodeAt(i);
		if (code < 128) {
			if (code === 32 || (code >= 9 && code <= 13)) {
				if (!lastWasSpace) {
					parts.push(' ');
					point(i);
					lastWasSpace = true;
				}
				i++;
				continue;
			}
			// A stretch of ASCII up to the next non-ASCII character or whitespace to fold (a space
			// after a word stays in it).
			let end = i + 1;
			for (; end < original.length; end++) {
				const next = original.charCodeAt(end);
				if (next >= 128 || (next >= 9 && next <= 13)) break;
				if (next === 32 && original.charCodeAt(end - 1) === 32) break;
			}
			if (original.charCodeAt(end - 1) === 32) end--;
			parts.push(original.slice(i, end).toLowerCase());
			for (let k = i; k < end; k++) point(k);
			lastWasSpace = false;
			i = end;
			continue;
		}
		const codePoint = original.codePointAt(i)!;
		const folded = foldCodePoint(codePoint);
		// One map entry per UTF-16 unit, so that text and map stay aligned for astral characters.
		for (let k = 0; k < folded.length; k++) {
			const unit = folded[k];
			if (/\s/.test(unit)) {
				if (lastWasSpace) continue;
				parts.push(' ');
				lastWasSpace = true;
			} else {
				parts.push(unit);
				lastWasSpace = false;
			}
			point(i);
		}
		i += codePoint > 0xffff ? 2 : 1;
	}
	point(original.length);
	const sourceIndex = map.subarray(0, length);
	return { text: parts.join(''), sourceIndex: (at) => sourceIndex[at] };
}

/** Line-end hyphens: ASCII, the Unicode hyphen, and the soft hyphen typesetters insert. */
const LINE_END_HYPHEN = /(\p{L}+)([-\u2010\u00ad])$/u;

/**
 * Whether `text` ends in one of the {@link LINE_END_HYPHEN} hyphens: most lines do not, and the
 * end-anchored pattern tries every start in the text before failing (1% of extraction's CPU).
 */
function endsWithHyphen(text: string): boolean {
	const last = text.charCodeAt(text.length - 1);
	return last === 0x2d || last === 0x2010 || last === 0xad;
}
/**
 * Second halves that make English compounds with a word before them ("user-friendly",
 * "model-agnostic"), used when a paper never writes the compound inside a line.
 */
const COMPOUND_SECOND_PARTS = new Set(
	(
		'based specific level wise like aware driven free related dependent independent oriented ' +
		'friendly agnostic centred centered guided informed grained scale sized dimensional world ' +
		'weighted supervised annotated derived induced labelled labeled defined'
	).split(' ')
);
/** A hyphen before one of these closes a suspended compound ("pre- and post-processing"). */
const SUSPENDED_COMPOUND_FOLLOWERS = new Set(['and', 'or', 'nor', 'to', 'vs', 'versus']);

/**
 * What a text says about hyphenated words, for deciding how to rejoin a word broken at a line
 * end: compounds written with a hyphen inside a line, the parts after such hyphens, and plain words.
 */
export interface HyphenVocabulary {
	/** `multi-modal` → how often it was written so within a line (lower case). */
	compounds: Map<string, number>;
	/** Second halves of inline compounds (`modal`, `level`, `specific`). */
	secondParts: Set<string>;
	/** Plain words and how often they occur (lower case). */
	words: Map<string, number>;
}

/** Collects the {@link HyphenVocabulary} of some lines (a page, or a whole document). */
export function hyphenVocabulary(lines: Iterable<string>): HyphenVocabulary {
	const vocabulary: HyphenVocabulary = {
		compounds: new Map(),
		secondParts: new Set(),
		words: new Map()
	};
	for (const line of lines) {
		const lower = line.toLowerCase();
		for (const match of lower.matchAll(/\p{L}+(?:[-\u2010]\p{L}+)+(?![-\u2010])/gu)) {
			const parts = match[0].split(/[-\u2010]/);
			for (let i = 1; i < parts.length; i++) {
				const compound = `${parts[i - 1]}-${parts[i]}`;
				vocabulary.compounds.set(compound, (vocabulary.compounds.get(compound) ?? 0) + 1);
				vocabulary.secondParts.add(parts[i]);
			}
		}
		// The half-word before a line-end hyphen is not evidence that it is a word of its own.
		const trimmed = lower.trimEnd();
		const complete = endsWithHyphen(trimmed) ? trimmed.replace(LINE_END_HYPHEN, '') : trimmed;
		for (const match of complete.matchAll(/\p{L}+/gu)) {
			vocabulary.words.set(match[0], (vocabulary.words.get(match[0]) ?? 0) + 1);
		}
	}
	return vocabulary;
}

/**
 * Joins the lines of a page into running text. A word split by a hyphen at a line end is
 * rejoined ("expla-" + "nations" → "explanations"), but a real compound keeps its hyphen: when
 * the first half already holds one ("end-user-" + "friendly"), when the text spells the word
 * with a hyphen elsewhere more often than without ("multi-" + "modal" beside "multi-modal"),
 * when both halves are words the text uses in compounds ("subject-" + "level" beside
 * "sequence-level"), or when the next line starts with a capital or digit ("Grad-" + "CAM").
 * Other lines are joined by a space. Pass a document's vocabulary to decide across pages.
 */
export function joinLines(
	lines: string[],
	vocabulary: HyphenVocabulary = hyphenVocabulary(lines)
): string {
	let out = '';
	for (const rawLine of lines) {
		const line = rawLine.trim();
		if (!line) continue;
		const broken = out ? brokenWordAtEnd(out) : null;
		if (!broken || !/^[\p{L}\p{N}]/u.test(line)) {
			out = out ? `${out} ${line}` : line;
			continue;
		}
		const [, head, hyphen] = broken;
		const tail = /^[\p{L}\p{N}]+/u.exec(line)![0];
		const before = out.slice(0, broken.index);
		if (hyphen === '\u00ad') {
			out = before + head + line;
		} else if (SUSPENDED_COMPOUND_FOLLOWERS.has(tail.toLowerCase())) {
			out = `${out} ${line}`;
		} else if (
			/[-\u2010]$/.test(before) ||
			!/^\p{Ll}/u.test(line) ||
			isCompound(head.toLowerCase(), tail.toLowerCase(), vocabulary)
		) {
			out = before + head + '-' + line;
		} else {
			out = before + head + line;
		}
	}
	return out;
}

/** Longest tail of the joined text searched for a broken word (longer words fall back to all of it). */
const BROKEN_WORD_WINDOW = 96;

/**
 * The word broken by a hyphen at the end of `out`, found in its last characters: searching all
 * of `out` at every line made joining a page's lines quadratic (a quarter of extraction time).
 */
function brokenWordAtEnd(out: string): RegExpExecArray | null {
	if (!endsWithHyphen(out)) return null;
	if (out.length <= BROKEN_WORD_WINDOW) return LINE_END_HYPHEN.exec(out);
	const offset = out.length - BROKEN_WORD_WINDOW;
	const broken = LINE_END_HYPHEN.exec(out.slice(offset));
	// A match at the window's start (or after a surrogate cut in half) may be longer: look at all.
	if (broken && broken.index <= 1) return LINE_END_HYPHEN.exec(out);
	if (broken) broken.index += offset;
	return broken;
}

function isCompound(head: string, tail: string, vocabulary: HyphenVocabulary): boolean {
	const hyphenated = vocabulary.compounds.get(`${head}-${tail}`) ?? 0;
	const joined = vocabulary.words.get(head + tail) ?? 0;
	if (hyphenated || joined) return hyphenated > joined;
	const knownSecondPart = vocabulary.secondParts.has(tail) || COMPOUND_SECOND_PARTS.has(tail);
	return knownSecondPart && vocabulary.words.has(head) && head.length > 2;
}

/** True when text ends in "<letter>-", i.e. a word hyphenated at the end of a line. */
export function endsWithBrokenWord(text: string): boolean {
	return endsWithHyphen(text) && LINE_END_HYPHEN.test(text) && !/\s-$/.test(text);
}

// ---------------------------------------------------------------- tokens and terms

export interface Token {
	/** Folded surface form, not stemmed (`grad-cam`, `t1-weighted`, `explanations`). */
	text: string;
	/** Range in the original string. */
	start: number;
	end: number;
}

/**
 * The one word pattern: letters and digits, optionally joined by inner hyphens, apostrophes or
 * dots (U-Net, T1-weighted, e.g). Run it over folded text; global, so use it with `matchAll`
 * or copy it (`new RegExp(WORD.source, 'uy')`).
 */
export const WORD = /[\p{L}\p{N}]+(?:['\-.][\p{L}\p{N}]+)*/gu;
/** What joins the parts of a compound word inside {@link WORD}. */
export const CONNECTOR = /['\-.]/;
/** One part of a {@link WORD}, a run of letters and digits: the unit a quoted phrase counts. */
export const WORD_PART = /[\p{L}\p{N}]+/gu;

/** Splits text into word tokens (folded, see {@link fold}) with their positions in the original string. */
export function tokenize(original: string): Token[] {
	const { text, sourceIndex } = fold(original, { withMap: true });
	const tokens: Token[] = [];
	for (const match of text.matchAll(WORD)) {
		const start = match.index!;
		const end = start + match[0].length;
		tokens.push({ text: match[0], start: sourceIndex(start), end: sourceIndex(end) });
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
	// Every rule removes a final "s": other words (most of a page) leave before any pattern runs.
	if (term.length <= 3 || !term.endsWith('s') || /\d/.test(term)) return term;
	if (term.endsWith('ies') && term.length > 4) return term.slice(0, -3) + 'y';
	if (/(sses|xes|ches|shes|zes)$/.test(term)) return term.slice(0, -2);
	if (term.endsWith('ss') || term.endsWith('us') || term.endsWith('is')) return term;
	if (term.endsWith('s') && !term.endsWith('ss')) return term.slice(0, -1);
	return term;
}

/** Splits a folded compound token into its parts (`grad-cam` → `grad`, `cam`). */
export function compoundParts(token: string): string[] {
	return token.split(CONNECTOR).filter(Boolean);
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
	for (const part of parts) if (partIsIndexed(part)) terms.push(stem(part));
	return terms;
}

/** Every index term of a text, in order; what MiniSearch indexes. */
export function indexTerms(text: string): string[] {
	const terms: string[] = [];
	eachIndexTerm(text, (term) => terms.push(term));
	return terms;
}

/**
 * Whether a text has at least one index term (see {@link eachIndexTerm}), stopping at the first:
 * listing every term of each page only to test for none took a tenth of an ingest's CPU.
 */
export function hasIndexTerm(text: string): boolean {
	for (const match of fold(text).matchAll(WORD)) {
		// A compound (never a stop word) always gives its joined term; a word unless it is one.
		if (!STOP_WORDS.has(match[0])) return true;
	}
	return false;
}

/**
 * Calls `onTerm` with every index term of a text, in order, and its word position: the number
 * of words (runs of letters and digits, the units a quoted phrase is made of) before the word
 * it stands for. A compound's joined term has the position of its first part, each part its
 * own, so `grad-cam` gives `gradcam` 0, `grad` 0, `cam` 1 and the next word is at 2. Words in
 * a row on the page have consecutive positions, which is what lets a phrase be checked on
 * positions. `asWritten` tells whether the word at that position is the term itself (not
 * another spelling stemmed to it, nor a compound joined into it).
 */
export function eachIndexTerm(
	text: string,
	onTerm: (term: string, position: number, asWritten: boolean) => void
): void {
	let position = 0;
	for (const match of fold(text).matchAll(WORD)) {
		const token = match[0];
		// Most words join no parts: they skip the split (a third of indexing a page).
		if (!hasConnector(token)) {
			if (!STOP_WORDS.has(token)) {
				const term = stem(token);
				onTerm(term, position, term === token);
			}
			position += 1;
			continue;
		}
		const parts = compoundParts(token);
		if (parts.length === 1) {
			const word = parts[0];
			if (!STOP_WORDS.has(word)) {
				const term = stem(word);
				onTerm(term, position, term === word);
			}
		} else {
			onTerm(stem(parts.join('')), position, false);
			parts.forEach((part, k) => {
				if (!partIsIndexed(part)) return;
				const term = stem(part);
				onTerm(term, position + k, term === part);
			});
		}
		position += parts.length;
	}
}

/** Whether a token holds a {@link CONNECTOR} (faster than the pattern on the words of a page). */
function hasConnector(token: string): boolean {
	return token.includes('-') || token.includes("'") || token.includes('.');
}

/** Whether a compound's part is indexed on its own (stop words and single letters are not). */
function partIsIndexed(part: string): boolean {
	return !STOP_WORDS.has(part) && part.length > 1;
}

/**
 * The index term a word always leaves at its own position, whether it stands alone or is part
 * of a compound (see {@link eachIndexTerm}); null for stop words and single letters, which may
 * leave none. `word` is one run of folded letters and digits.
 */
export function positionalTerm(word: string): string | null {
	return partIsIndexed(word) ? stem(word) : null;
}
