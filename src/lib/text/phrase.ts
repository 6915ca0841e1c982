/**
 * The one phrase matcher: a phrase's words in order, as whole words, separated by anything that
 * is not a letter or digit, in folded text (so `grad cam` also finds `Grad-CAM`). Snippets, the
 * engine's phrase check and the reader's find all match phrases here; the engine's ASCII fast
 * path ({@link phraseAtBytes}) applies the same rule to the bytes of a page.
 */
import { CONNECTOR } from './normalise.ts';

/** A phrase to find in text: folded tokens, stop words included. */
export interface Phrase {
	tokens: string[];
	/**
	 * Each word may also carry a plural ending (`class activation maps`): for the field's
	 * synonyms, which are written in their base form. Typed phrases match exactly.
	 */
	inflected: boolean;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The words of a phrase's tokens, split at connectors like the tokenizer's parts. */
export function wordsOfPhrase(tokens: string[]): string[] {
	return tokens.flatMap((token) => token.split(CONNECTOR)).filter(Boolean);
}

/**
 * The forms an inflected phrase word matches: itself and its regular English plural (`map`
 * `maps`, `class` `classes`, `study` `studies`, `hero` `heros` `heroes`).
 */
export function inflectedForms(word: string): string[] {
	if (/(?:s|x|z|ch|sh)$/.test(word)) return [word, `${word}es`];
	if (/[^aeiou]y$/.test(word) && word.length > 3) return [word, `${word.slice(0, -1)}ies`];
	if (word.endsWith('o')) return [word, `${word}s`, `${word}es`];
	return [word, `${word}s`];
}

/** One phrase word as a pattern: itself, or any of its {@link inflectedForms}. */
function wordPattern(word: string, inflected: boolean): string {
	if (!inflected) return escapeRegExp(word);
	const forms = inflectedForms(word).sort((a, b) => b.length - a.length);
	return `(?:${forms.map(escapeRegExp).join('|')})`;
}

/** The phrase's words in order, separated by anything that is not a letter or digit. */
function phraseBody(phrase: Phrase): string {
	return wordsOfPhrase(phrase.tokens)
		.map((word) => wordPattern(word, phrase.inflected))
		.join('[^\\p{L}\\p{N}]+');
}

/** A pattern that finds a phrase in folded text, as whole words. */
export function phrasePattern(phrase: Phrase, flags = 'u'): RegExp {
	return new RegExp(`(?<![\\p{L}\\p{N}])${phraseBody(phrase)}(?![\\p{L}\\p{N}])`, flags);
}

function phraseKey(phrase: Phrase): string {
	return `${phrase.inflected ? '~' : '='}${phrase.tokens.join(' ')}`;
}

/**
 * How a phrase is looked for: its first word by string search, the rest compared there. No
 * regular expression: compiling one with Unicode classes for every phrase of every query was a
 * third of a quoted search's time (bench:search, 1,000 papers).
 */
export interface PhraseMatcher {
	/** What every occurrence starts with: the first word (an inflected one less its last letter). */
	anchor: string;
	/** The forms each word of the phrase may take, in order (one, or an inflected word's). */
	forms: string[][];
}

const matcherCache = new Map<string, PhraseMatcher>();

/** The matcher of a phrase, made once (queries repeat). */
export function phraseMatcher(phrase: Phrase): PhraseMatcher {
	const key = phraseKey(phrase);
	let matcher = matcherCache.get(key);
	if (!matcher) {
		if (matcherCache.size > 500) matcherCache.clear();
		const words = wordsOfPhrase(phrase.tokens);
		const first = words[0] ?? '';
		matcher = {
			// An inflected word may change its last letter (`study` → `studies`).
			anchor: phrase.inflected && first.length > 3 ? first.slice(0, -1) : first,
			forms: words.map((word) => (phrase.inflected ? inflectedForms(word) : [word]))
		};
		matcherCache.set(key, matcher);
	}
	return matcher;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Whether folded `text[at]` is a letter or digit. */
export function isWordChar(text: string, at: number): boolean {
	const code = text.charCodeAt(at);
	if (code < 128) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
	return at < text.length && WORD_CHAR.test(text[at]);
}

/** UTF-16 units of the code point at `at` (1 or 2). */
function unitsAt(text: string, at: number): number {
	const code = text.charCodeAt(at);
	return code >= 0xd800 && code <= 0xdbff && at + 1 < text.length ? 2 : 1;
}

/**
 * Units of the letter or digit (a whole code point, as the phrase pattern reads it) at `at`;
 * 0 when there is none.
 */
function wordCharUnits(text: string, at: number): number {
	const code = text.charCodeAt(at);
	if (code < 128) {
		const lower = code | 32;
		return (lower >= 97 && lower <= 122) || (code >= 48 && code <= 57) ? 1 : 0;
	}
	if (!(at < text.length)) return 0;
	const units = unitsAt(text, at);
	return WORD_CHAR.test(text.slice(at, at + units)) ? units : 0;
}

/** Whether a letter or digit ends right before `at`. */
function wordCharBefore(text: string, at: number): boolean {
	if (at <= 0) return false;
	const low = text.charCodeAt(at - 1);
	const pair = low >= 0xdc00 && low <= 0xdfff && at >= 2 && unitsAt(text, at - 2) === 2;
	return wordCharUnits(text, pair ? at - 2 : at - 1) > 0;
}

/**
 * Where the phrase's words end when they start at `at`, in order, each a whole run of letters
 * and digits that is one of its forms, separated by at least one other character; -1 when they
 * do not. The rule of {@link phrasePattern}, without its lookbehind.
 */
function phraseEndAt(text: string, at: number, forms: string[][]): number {
	for (let w = 0; w < forms.length; w++) {
		if (w > 0) {
			const separator = at;
			while (at < text.length && wordCharUnits(text, at) === 0) at += unitsAt(text, at);
			if (at === separator) return -1;
		}
		let end = at;
		for (let units = wordCharUnits(text, end); units > 0; units = wordCharUnits(text, end))
			end += units;
		const length = end - at;
		if (!forms[w].some((form) => form.length === length && text.startsWith(form, at))) return -1;
		at = end;
	}
	return at;
}

/**
 * Every occurrence of the phrase in folded text, as `[start, end)`, in order: what
 * {@link phrasePattern} finds. The first word is found by plain string search and the rest
 * compared there, much faster than running a pattern over a whole page.
 */
export function phraseOccurrences(
	folded: string,
	phrase: Phrase | PhraseMatcher,
	limit = Infinity
): [number, number][] {
	const { anchor, forms } = 'anchor' in phrase ? phrase : phraseMatcher(phrase);
	const found: [number, number][] = [];
	if (!anchor) return found;
	for (let at = folded.indexOf(anchor); at !== -1 && found.length < limit;) {
		const end = wordCharBefore(folded, at) ? -1 : phraseEndAt(folded, at, forms);
		if (end >= 0) {
			found.push([at, end]);
			at = folded.indexOf(anchor, end);
		} else at = folded.indexOf(anchor, at + 1);
	}
	return found;
}

/** Whether folded text holds the phrase. */
export function phraseOccursIn(folded: string, phrase: Phrase | PhraseMatcher): boolean {
	return phraseOccurrences(folded, phrase, 1).length > 0;
}

/** Byte classes of UTF-8 text: 0 a non-word ASCII character, 1 an ASCII letter or digit, 2 not ASCII. */
const BYTE_CLASS = new Uint8Array(256);
/** ASCII bytes in lower case (other bytes unchanged). */
const LOWER_BYTE = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
	const isLetter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
	BYTE_CLASS[byte] = byte >= 128 ? 2 : isLetter || (byte >= 48 && byte <= 57) ? 1 : 0;
	LOWER_BYTE[byte] = byte >= 65 && byte <= 90 ? byte + 32 : byte;
}

/** Whether a byte of ASCII text is a letter or digit (part of a word). */
export function isAsciiWordByte(byte: number): boolean {
	return BYTE_CLASS[byte] === 1;
}

/** An ASCII byte in lower case (other bytes unchanged). */
export function lowerByte(byte: number): number {
	return LOWER_BYTE[byte];
}

/** A phrase's words as lower-case ASCII codes, or null when one is not plain ASCII. */
export function asciiPhraseWords(words: string[]): Uint8Array[] | null {
	if (words.length === 0 || !words.every((word) => /^[a-z0-9]+$/.test(word))) return null;
	return words.map((word) => Uint8Array.from(word, (ch) => ch.charCodeAt(0)));
}

/**
 * Whether the phrase's words start at `at` in ASCII text `bytes[start, end)`, in order, as
 * whole words, ignoring case: the rule of {@link phrasePattern}, on bytes, without decoding.
 */
export function phraseAtBytes(
	bytes: Uint8Array,
	at: number,
	start: number,
	end: number,
	words: Uint8Array[]
): boolean {
	if (at > start && BYTE_CLASS[bytes[at - 1]] === 1) return false;
	for (let w = 0; w < words.length; w++) {
		const word = words[w];
		if (w > 0) {
			// At least one separator, then the next word.
			if (at >= end || BYTE_CLASS[bytes[at]] === 1) return false;
			while (at < end && BYTE_CLASS[bytes[at]] !== 1) at++;
		}
		if (at + word.length > end) return false;
		for (let k = 0; k < word.length; k++) if (LOWER_BYTE[bytes[at + k]] !== word[k]) return false;
		at += word.length;
	}
	return at >= end || BYTE_CLASS[bytes[at]] !== 1;
}
