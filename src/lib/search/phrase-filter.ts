/**
 * A per-page Bloom filter of adjacent word pairs. Checking a quoted phrase against page text is
 * exact but costs a text scan; the filter rules out almost every page that lacks one of the
 * phrase's word pairs with two bit tests, so only likely pages are scanned.
 *
 * Words here are the runs of letters and digits of the folded text, the same units the phrase
 * matcher (text/phrase.ts) matches, so the filter never rules out a page the pattern would match.
 */
import { Buffer, isAscii } from 'node:buffer';
import { fold, WORD_PART } from '../text/normalise.ts';
import { asciiPhraseWords, isAsciiWordByte, lowerByte, phraseAtBytes } from '../text/phrase.ts';

export { isAsciiWordByte };

/** 32-bit words per page: 4,096 bits, about 5% false positives for a 500-word page. */
export const PAIR_FILTER_WORDS = 128;
const BITS = PAIR_FILTER_WORDS * 32;

function hashPair(first: string, second: string): number {
	let hash = 0x811c9dc5;
	const text = `${first} ${second}`;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/** The words of a text as the phrase filter sees them. */
export function phraseWords(text: string): string[] {
	return fold(text).match(WORD_PART) ?? [];
}

/** Sets the bits of every adjacent pair of `words` in the filter at `offset` of `bits`. */
export function addPairs(bits: Uint32Array, offset: number, words: string[]): void {
	for (let i = 0; i + 1 < words.length; i++) {
		const hash = hashPair(words[i], words[i + 1]);
		const a = hash % BITS;
		const b = ((hash >>> 13) ^ (hash << 7)) >>> 0;
		bits[offset + (a >>> 5)] |= 1 << (a & 31);
		const c = b % BITS;
		bits[offset + (c >>> 5)] |= 1 << (c & 31);
	}
}

/** The filter bits of every adjacent pair of `words`, computed once for checking many pages. */
export function pairBits(words: string[]): Uint32Array {
	const bits = new Uint32Array(Math.max(0, words.length - 1) * 2);
	for (let i = 0; i + 1 < words.length; i++) {
		const hash = hashPair(words[i], words[i + 1]);
		bits[2 * i] = hash % BITS;
		bits[2 * i + 1] = (((hash >>> 13) ^ (hash << 7)) >>> 0) % BITS;
	}
	return bits;
}

/** False when the filter at `offset` proves some pair of {@link pairBits} absent from the page. */
export function mayHavePairBits(filter: Uint32Array, offset: number, bits: Uint32Array): boolean {
	for (let i = 0; i < bits.length; i++) {
		const bit = bits[i];
		if (!(filter[offset + (bit >>> 5)] & (1 << (bit & 31)))) return false;
	}
	return true;
}

/**
 * What the phrase check knows about a page's text. Folding ASCII text is lower-casing it, so
 * ASCII pages are checked on their bytes; other pages are decoded and folded.
 */
export const PageKind = {
	Unknown: 0,
	/** ASCII; where it has capitals not yet looked at. */
	Ascii: 1,
	/** ASCII, capitals only at the start of words: a word is written `word` or `Word`. */
	PlainAscii: 2,
	/** ASCII with capitals inside words (`GradCAM`, `MRI`). */
	MixedCaseAscii: 3,
	Other: 4
} as const;

/** `Ascii` or `Other` for UTF-8 text `bytes[start, end)` (a native check). */
export function pageKind(bytes: Uint8Array, start: number, end: number): number {
	return isAscii(bytes.subarray(start, end)) ? PageKind.Ascii : PageKind.Other;
}

/** `PlainAscii` or `MixedCaseAscii` for ASCII text `bytes[start, end)`. */
export function capitalsKind(bytes: Uint8Array, start: number, end: number): number {
	for (let i = start + 1; i < end; i++) {
		const byte = bytes[i];
		if (byte >= 65 && byte <= 90 && isAsciiWordByte(bytes[i - 1])) return PageKind.MixedCaseAscii;
	}
	return PageKind.PlainAscii;
}

/** A phrase prepared for checking page bytes. */
export interface BytePhrase {
	/** Its words as lower-case ASCII codes. */
	words: Uint8Array[];
	/** The first word as written in plain ASCII pages: `word` and `Word`. */
	heads: Buffer[];
}

/** A phrase's words prepared for {@link bytesHavePhrase}, or null when one is not plain ASCII. */
export function bytePhrase(words: string[]): BytePhrase | null {
	const codes = asciiPhraseWords(words);
	if (!codes) return null;
	const first = words[0];
	const capitalised = first[0].toUpperCase() + first.slice(1);
	return {
		words: codes,
		heads: [...new Set([first, capitalised])].map((head) => Buffer.from(head, 'latin1'))
	};
}

/**
 * The byte where word `skip` after the word starting at `at` starts, in ASCII text ending at
 * `end` (`end` if there are not that many).
 */
export function skipWords(bytes: Uint8Array, at: number, end: number, skip: number): number {
	for (let k = 0; k < skip; k++) {
		while (at < end && isAsciiWordByte(bytes[at])) at++;
		while (at < end && !isAsciiWordByte(bytes[at])) at++;
	}
	return at;
}

/**
 * Whether ASCII text `page[start, end)` holds the phrase as whole words in order, separated by
 * anything but letters and digits, ignoring case: the phrase pattern's rule on folded text,
 * checked on the bytes without decoding them. The first word is first looked for by native
 * substring search as `word` and `Word`; if that fails, only a page whose capitals are known to
 * be at word starts is settled (false), one with capitals inside words is scanned byte by byte,
 * and for one not yet looked at (`Ascii`) the answer is null: find its {@link capitalsKind}.
 */
export function bytesHavePhrase(
	page: Buffer,
	start: number,
	end: number,
	kind: number,
	phrase: BytePhrase
): boolean | null {
	const words = phrase.words;
	const text = page.subarray(start, end);
	for (const head of phrase.heads) {
		for (let at = text.indexOf(head); at !== -1; at = text.indexOf(head, at + 1)) {
			if (phraseAtBytes(page, start + at, start, end, words)) return true;
		}
	}
	if (kind === PageKind.PlainAscii) return false;
	if (kind !== PageKind.MixedCaseAscii) return null;
	const first = words[0][0];
	for (let at = start; at < end; at++) {
		if (lowerByte(page[at]) === first && phraseAtBytes(page, at, start, end, words)) return true;
	}
	return false;
}
