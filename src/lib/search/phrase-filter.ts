/**
 * A per-page Bloom filter of adjacent word pairs. Checking a quoted phrase against page text is
 * exact but costs a text scan; the filter rules out almost every page that lacks one of the
 * phrase's word pairs with two bit tests, so only likely pages are scanned.
 *
 * Words here are the runs of letters and digits of the folded text, the same units the phrase
 * pattern (snippets.ts) matches, so the filter never rules out a page the pattern would match.
 */
import { Buffer, isAscii } from 'node:buffer';
import { fold, WORD_PART } from '../text/normalise.ts';

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

/** Byte classes of UTF-8 text: 0 a non-word ASCII character, 1 an ASCII letter or digit, 2 not ASCII. */
const BYTE_CLASS = new Uint8Array(256);
/** ASCII bytes in lower case (other bytes unchanged). */
const LOWER_BYTE = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) {
	const isLetter = (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122);
	BYTE_CLASS[byte] = byte >= 128 ? 2 : isLetter || (byte >= 48 && byte <= 57) ? 1 : 0;
	LOWER_BYTE[byte] = byte >= 65 && byte <= 90 ? byte + 32 : byte;
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
		if (byte >= 65 && byte <= 90 && BYTE_CLASS[bytes[i - 1]] === 1) return PageKind.MixedCaseAscii;
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
	if (words.length === 0 || !words.every((word) => /^[a-z0-9]+$/.test(word))) return null;
	const first = words[0];
	const capitalised = first[0].toUpperCase() + first.slice(1);
	return {
		words: words.map((word) => Uint8Array.from(word, (ch) => ch.charCodeAt(0))),
		heads: [...new Set([first, capitalised])].map((head) => Buffer.from(head, 'latin1'))
	};
}

/** Whether a byte of ASCII text is a letter or digit (part of a word). */
export function isAsciiWordByte(byte: number): boolean {
	return BYTE_CLASS[byte] === 1;
}

/**
 * The byte where word `skip` after the word starting at `at` starts, in ASCII text ending at
 * `end` (`end` if there are not that many).
 */
export function skipWords(bytes: Uint8Array, at: number, end: number, skip: number): number {
	for (let k = 0; k < skip; k++) {
		while (at < end && BYTE_CLASS[bytes[at]] === 1) at++;
		while (at < end && BYTE_CLASS[bytes[at]] !== 1) at++;
	}
	return at;
}

/** Whether the phrase's words start at `at`, in order, as whole words (ASCII text). */
export function phraseAt(
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
			if (phraseAt(page, start + at, start, end, words)) return true;
		}
	}
	if (kind === PageKind.PlainAscii) return false;
	if (kind !== PageKind.MixedCaseAscii) return null;
	const first = words[0][0];
	for (let at = start; at < end; at++) {
		if (LOWER_BYTE[page[at]] === first && phraseAt(page, at, start, end, words)) return true;
	}
	return false;
}
