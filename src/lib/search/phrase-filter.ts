/**
 * A per-page Bloom filter of adjacent word pairs. Checking a quoted phrase against page text is
 * exact but costs a text scan; the filter rules out almost every page that lacks one of the
 * phrase's word pairs with two bit tests, so only likely pages are scanned.
 *
 * Words here are the runs of letters and digits of the folded text, the same units the phrase
 * pattern (snippets.ts) matches, so the filter never rules out a page the pattern would match.
 */
import { foldWhole } from '../text/normalise.ts';

/** 32-bit words per page: 4,096 bits, about 5% false positives for a 500-word page. */
export const PAIR_FILTER_WORDS = 128;
const BITS = PAIR_FILTER_WORDS * 32;
const RUNS = /[\p{L}\p{N}]+/gu;

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
	return foldWhole(text).match(RUNS) ?? [];
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

/** False when the filter proves some adjacent pair of `words` is absent from the page. */
export function mayHavePairs(bits: Uint32Array, offset: number, words: string[]): boolean {
	for (let i = 0; i + 1 < words.length; i++) {
		const hash = hashPair(words[i], words[i + 1]);
		const a = hash % BITS;
		if (!(bits[offset + (a >>> 5)] & (1 << (a & 31)))) return false;
		const c = (((hash >>> 13) ^ (hash << 7)) >>> 0) % BITS;
		if (!(bits[offset + (c >>> 5)] & (1 << (c & 31)))) return false;
	}
	return true;
}
