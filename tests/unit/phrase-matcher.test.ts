/**
 * The phrase matcher finds what the phrase pattern (the rule written as a regular expression)
 * finds, on seeded random text with what makes the rule subtle: plurals, words inside longer
 * words, digits, hyphens and other separators, accents, and letters outside the BMP.
 */
import { describe, expect, it } from 'vitest';
import { fold, WORD_PART } from '../../src/lib/text/normalise.ts';
import {
	phraseOccurrences,
	phraseOccursIn,
	phrasePattern,
	type Phrase
} from '../../src/lib/text/phrase.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

const WORDS = ['map', 'maps', 'mapping', 'class', 'classes', 'study', 'studies', 'hero', 'heroes'];
const MORE_WORDS = [
	'grad',
	'cam',
	'x',
	't1',
	'2021',
	'naïve',
	'müller',
	'\u{20000}a',
	'b\u{1d7d8}'
];
const SEPARATORS = [' ', ' ', ' ', '-', ', ', ' (', ') ', '.', "'", ' — ', '\u{1f600}', '  '];

function pick<T>(random: () => number, list: readonly T[]): T {
	return list[Math.floor(random() * list.length)];
}

function randomText(random: () => number): string {
	let text = random() < 0.2 ? pick(random, SEPARATORS) : '';
	for (let i = 0; i < 40; i++) {
		text += pick(random, random() < 0.7 ? WORDS : MORE_WORDS);
		// Now and then a word runs into the next one.
		text += random() < 0.1 ? '' : pick(random, SEPARATORS);
	}
	return text;
}

/** Occurrences by the pattern itself. */
function byPattern(folded: string, phrase: Phrase): [number, number][] {
	return [...folded.matchAll(phrasePattern(phrase, 'gu'))].map((match) => [
		match.index!,
		match.index! + match[0].length
	]);
}

describe('phraseOccurrences', () => {
	it('finds what the phrase pattern finds, on random text and phrases', () => {
		let found = 0;
		for (let seed = 1; seed <= 300; seed++) {
			const random = seededRandom(seed);
			const folded = fold(randomText(random));
			const words = folded.match(WORD_PART) ?? [];
			const start = Math.floor(random() * Math.max(1, words.length - 3));
			const length = 1 + Math.floor(random() * 3);
			// Mostly words that follow each other in the text, sometimes a base form to inflect.
			const tokens = words
				.slice(start, start + length)
				.map((word) => (random() < 0.3 ? word.replace(/(es|s)$/, '') || word : word));
			const phrase: Phrase = { tokens, inflected: random() < 0.5 };
			const expected = byPattern(folded, phrase);
			expect(phraseOccurrences(folded, phrase), `seed ${seed}: ${JSON.stringify(phrase)}`).toEqual(
				expected
			);
			expect(phraseOccursIn(folded, phrase)).toBe(expected.length > 0);
			found += expected.length;
		}
		// The phrases were found often enough for the comparison to mean something.
		expect(found).toBeGreaterThan(300);
	});

	it('reads a letter outside the BMP before a word as a letter, as the pattern does', () => {
		const folded = fold('\u{20000}map map');
		const phrase: Phrase = { tokens: ['map'], inflected: false };
		expect(phraseOccurrences(folded, phrase)).toEqual([[6, 9]]);
		expect(byPattern(folded, phrase)).toEqual([[6, 9]]);
	});

	it('stops at the limit it is given', () => {
		const folded = fold('maps, maps and Maps again: maps');
		const phrase: Phrase = { tokens: ['map'], inflected: true };
		expect(phraseOccurrences(folded, phrase)).toHaveLength(4);
		expect(phraseOccurrences(folded, phrase, 2)).toEqual(byPattern(folded, phrase).slice(0, 2));
	});
});
