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

/** How a phrase is looked for: its first word by string search, the rest checked there. */
export interface PhraseMatcher {
	anchor: string;
	/** The phrase's words from `lastIndex` on, then a word end. */
	sticky: RegExp;
}

const matcherCache = new Map<string, PhraseMatcher>();

/** The matcher of a phrase, compiled once (queries repeat). */
export function phraseMatcher(phrase: Phrase): PhraseMatcher {
	const key = phraseKey(phrase);
	let matcher = matcherCache.get(key);
	if (!matcher) {
		if (matcherCache.size > 500) matcherCache.clear();
		const first = wordsOfPhrase(phrase.tokens)[0] ?? '';
		matcher = {
			// An inflected word may change its last letter (`study` → `studies`).
			anchor: phrase.inflected && first.length > 3 ? first.slice(0, -1) : first,
			sticky: new RegExp(`${phraseBody(phrase)}(?![\\p{L}\\p{N}])`, 'uy')
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

/**
 * Every occurrence of the phrase in folded text, as `[start, end)`, in order. The first word is
 * found by plain string search and the rest checked there, much faster than running the
 * phrase pattern over a whole page.
 */
export function phraseOccurrences(
	folded: string,
	phrase: Phrase | PhraseMatcher,
	limit = Infinity
): [number, number][] {
	const { anchor, sticky } = 'sticky' in phrase ? phrase : phraseMatcher(phrase);
	const found: [number, number][] = [];
	if (!anchor) return found;
	for (let at = folded.indexOf(anchor); at !== -1 && found.length < limit;) {
		if (at > 0 && isWordChar(folded, at - 1)) {
			at = folded.indexOf(anchor, at + 1);
			continue;
		}
		sticky.lastIndex = at;
		if (sticky.test(folded)) {
			found.push([at, sticky.lastIndex]);
			at = folded.indexOf(anchor, sticky.lastIndex);
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
