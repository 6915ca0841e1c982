/**
 * The typo distance: a swap of two neighbouring letters is one edit, and the banded, early-exit
 * computation the vocabulary scan uses gives the same distance as the full table.
 */
import { describe, expect, it } from 'vitest';
import { boundedEditDistance, editDistance } from '../../src/lib/search/edit-distance.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

/** The whole optimal-string-alignment table, written the plain way, as the reference. */
function referenceDistance(a: string, b: string): number {
	const table = Array.from({ length: a.length + 1 }, (_, i) =>
		Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0))
	);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			table[i][j] = Math.min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
				table[i][j] = Math.min(table[i][j], table[i - 2][j - 2] + 1);
		}
	}
	return table[a.length][b.length];
}

describe('typo distance', () => {
	it('counts a swap of neighbouring letters as one typo', () => {
		expect(boundedEditDistance('concpet', 'concept', 1)).toBe(1);
		expect(boundedEditDistance('ocncept', 'concept', 1)).toBe(1);
		expect(boundedEditDistance('concetp', 'concept', 1)).toBe(1);
		expect(editDistance('ab', 'ba')).toBe(1);
	});

	it('still counts other slips as Levenshtein does', () => {
		expect(editDistance('saliancy', 'saliency')).toBe(1);
		expect(editDistance('explainabilty', 'explainability')).toBe(1);
		expect(editDistance('kitten', 'sitting')).toBe(3);
		expect(boundedEditDistance('concept', 'cnocpet', 1)).toBe(2);
	});

	it('agrees with the full table on random words, and gives up past the bound', () => {
		const random = seededRandom(7);
		const word = () =>
			Array.from({ length: 1 + Math.floor(random() * 9) }, () =>
				'abcde'.charAt(Math.floor(random() * 5))
			).join('');
		for (let round = 0; round < 5000; round++) {
			const a = word();
			// Half the pairs are near misses: the cases the band and the early exit must get right.
			const b = random() < 0.5 ? word() : mangle(a, random);
			const max = Math.floor(random() * 4);
			const expected = referenceDistance(a, b);
			expect(boundedEditDistance(a, b, max), `${a} ${b} ${max}`).toBe(Math.min(expected, max + 1));
			expect(editDistance(a, b)).toBe(expected);
		}
	});
});

/** `word` with one or two random swaps, drops or insertions. */
function mangle(word: string, random: () => number): string {
	let out = word;
	for (let edits = 1 + Math.floor(random() * 2); edits > 0; edits--) {
		const at = Math.floor(random() * Math.max(1, out.length - 1));
		const kind = random();
		if (kind < 0.5 && out.length > 1)
			out = out.slice(0, at) + out[at + 1] + out[at] + out.slice(at + 2);
		else if (kind < 0.75) out = out.slice(0, at) + out.slice(at + 1);
		else out = out.slice(0, at) + 'e' + out.slice(at);
	}
	return out;
}
