import { describe, expect, it } from 'vitest';
import { postingAtOrAfter } from '../../src/lib/search/index-data.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

describe('postingAtOrAfter', () => {
	it('finds the first posting at or after a document, as a scan from the start does', () => {
		const random = seededRandom(7);
		for (let trial = 0; trial < 300; trial++) {
			// Sorted documents with repeats and gaps, as a term's postings (several terms share a page).
			const docs: number[] = [];
			let doc = Math.floor(random() * 5);
			for (let i = Math.floor(random() * 400); i > 0; i--) {
				docs.push(doc);
				doc += random() < 0.2 ? 0 : 1 + Math.floor(random() * (random() < 0.1 ? 200 : 3));
			}
			const postingDoc = Uint32Array.from(docs);
			const from = Math.floor(random() * (docs.length + 1));
			const end = from + Math.floor(random() * (docs.length - from + 1));
			const wanted = Math.floor(random() * (doc + 10));
			let expected = from;
			while (expected < end && postingDoc[expected] < wanted) expected++;
			expect(postingAtOrAfter(postingDoc, from, end, wanted)).toBe(expected);
		}
	});
});
