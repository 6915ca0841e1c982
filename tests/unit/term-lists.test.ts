import { describe, expect, it } from 'vitest';
import { countTerms } from '../../src/lib/corpus/similar.ts';
import {
	addWrittenForms,
	compactTermLists,
	mergeTermLists,
	TermStrings,
	toTermList,
	type TermList
} from '../../src/lib/corpus/term-lists.ts';

const saliency =
	'Grad-CAM saliency maps; GradCAM, grad cam and Saliency of chest X-rays. Chest X-rays.';
const uncertainty =
	'Monte Carlo dropout: uncertainty of the Chest segmentation, chest X-Rays, Dropout.';

/** A list read back as term counts, by the strings it points into. */
function countsOf(list: { terms: Int32Array; counts: Int32Array }, strings: readonly string[]) {
	return new Map([...list.terms].map((id, k) => [strings[id], list.counts[k]]));
}

function formsOf(lists: TermList[], strings: readonly string[]) {
	const forms = new Map<number, Map<string, number>>();
	for (const list of lists)
		addWrittenForms(forms, list, new Uint8Array(strings.length).fill(1), strings);
	return new Map([...forms].map(([id, counts]) => [strings[id], counts]));
}

describe('term lists', () => {
	it('hold the counts and written forms of the text they were made from', () => {
		const strings = new TermStrings();
		const list = toTermList(countTerms(saliency), strings);
		const { counts, surfaces } = countTerms(saliency);
		expect(countsOf(list, strings.strings)).toEqual(counts);
		expect(formsOf([list], strings.strings)).toEqual(surfaces);
		expect([...list.terms]).toEqual([...list.terms].sort((a, b) => a - b));
	});

	it('merge to the counts of the two texts joined', () => {
		const strings = new TermStrings();
		const first = toTermList(countTerms(uncertainty), strings);
		const second = toTermList(countTerms(saliency), strings);
		const merged = mergeTermLists(first, second);
		expect(countsOf(merged, strings.strings)).toEqual(
			countTerms(`${uncertainty}\n${saliency}`).counts
		);
		expect([...merged.terms]).toEqual([...merged.terms].sort((a, b) => a - b));
		expect(formsOf([first, second], strings.strings)).toEqual(
			countTerms(`${uncertainty}\n${saliency}`).surfaces
		);
	});

	it('keep their counts and forms when renumbered to the strings still used', () => {
		const strings = new TermStrings();
		toTermList(countTerms('Unused words only: zebrafish husbandry.'), strings);
		const kept = [
			toTermList(countTerms(saliency), strings),
			toTermList(countTerms(uncertainty), strings)
		];
		const compact = compactTermLists(kept, strings.strings);
		expect(compact.strings).not.toContain('zebrafish');
		compact.lists.forEach((list, i) => {
			expect(countsOf(list, compact.strings)).toEqual(countsOf(kept[i], strings.strings));
			expect([...list.terms]).toEqual([...list.terms].sort((a, b) => a - b));
		});
		expect(formsOf(compact.lists, compact.strings)).toEqual(formsOf(kept, strings.strings));
	});
});
