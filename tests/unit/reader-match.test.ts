import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import {
	findInPage,
	joinItems,
	preparePage,
	rangesByItem,
	type FindOptions,
	type TextItemLike
} from '../../src/lib/components/reader/match.ts';
import { findUnitsOfQuery } from '../../src/lib/components/reader/query.ts';
import { joinLines } from '../../src/lib/text/normalise.ts';

/** Items as pdf.js gives them: strings, with `hasEOL` on the last item of each line. */
function lines(...text: string[][]): TextItemLike[] {
	return text.flatMap((line) => line.map((str, i) => ({ str, hasEOL: i === line.length - 1 })));
}

/** The text a match covers, item by item, as the reader would mark it. */
function marked(items: TextItemLike[], query: string, options?: FindOptions): string[] {
	return findInPage(preparePage(items), findUnitsOfQuery(query), options).map((match) =>
		match.ranges.map((r) => items[r.item].str.slice(r.start, r.end)).join('|')
	);
}

const WHOLE: FindOptions = { caseSensitive: false, wholeWord: true };
const SUBSTRING: FindOptions = { caseSensitive: false, wholeWord: false };

describe('joinItems', () => {
	it('keeps the hyphen of a compound broken at a line end, as the ingest does', () => {
		const items = lines(
			['an end-user-'],
			['friendly view of multi-'],
			['modal and multi-modal data']
		);
		const text = joinItems(items).text;
		expect(text).toBe(
			joinLines(['an end-user-', 'friendly view of multi-', 'modal and multi-modal data'])
		);
		expect(text).toBe('an end-user-friendly view of multi-modal and multi-modal data');
	});

	it('joins lines as the ingest does, rejoining words hyphenated at a line end', () => {
		const items = lines(
			['Saliency maps give expla-'],
			['nations of the model.'],
			['Ex-'],
			['ample']
		);
		expect(joinItems(items).text).toBe(
			joinLines(['Saliency maps give expla-', 'nations of the model.', 'Ex-', 'ample'])
		);
		expect(joinItems(items).text).toBe('Saliency maps give explanations of the model. Example');
	});

	it('keeps a hyphen before a capitalised line (a real compound) and a spaced dash', () => {
		const items = lines(['the Grad-'], ['CAM method -'], ['then']);
		expect(joinItems(items).text).toBe(joinLines(['the Grad-', 'CAM method -', 'then']));
		expect(joinItems(items).text).toBe('the Grad-CAM method - then');
	});

	it('concatenates items within a line and skips empty end-of-line markers', () => {
		const items: TextItemLike[] = [
			{ str: 'attention', hasEOL: false },
			{ str: ' ', hasEOL: false },
			{ str: 'maps', hasEOL: false },
			{ str: '', hasEOL: true },
			{ str: 'follow', hasEOL: true }
		];
		expect(joinItems(items).text).toBe('attention maps follow');
	});
});

describe('findInPage', () => {
	it('finds a word hyphenated at a line end and marks both halves with the hyphen', () => {
		const items = lines(['We evaluate expla-'], ['nations from clinicians.']);
		expect(marked(items, 'explanation')).toEqual(['expla-|nations']);
	});

	it('finds words typeset with ligatures (ﬁ, ﬂ, ﬀ) by their plain spelling', () => {
		const items = lines(['the classiﬁcation of ﬂow and eﬀects']);
		expect(marked(items, 'classification flow effect')).toEqual(['classiﬁcation', 'ﬂow', 'eﬀects']);
	});

	it('matches through the index terms: plurals, case, accents and compounds', () => {
		const items = lines(['Explanations by Müller use GradCAM and Grad-CAM.']);
		expect(marked(items, 'explanation muller grad-cam')).toEqual([
			'Explanations',
			'Müller',
			'GradCAM',
			'Grad-CAM'
		]);
	});

	it('matches a phrase across a line break and a hyphenated word, stop words as typed', () => {
		const items = lines(['quality of the saliency'], ['maps and expla-'], ['nations']);
		expect(marked(items, '"saliency maps"')).toEqual(['saliency|maps']);
		// The engine's phrase matcher keeps a phrase's stop words, so the reader does too.
		expect(marked(items, '"quality of the saliency"')).toEqual(['quality of the saliency']);
		expect(marked(items, '"quality of saliency"')).toEqual([]);
		expect(marked(items, '"maps and explanations"')).toEqual(['maps and expla-|nations']);
	});

	it('finds a phrase written as a hyphenated compound, as the index does', () => {
		const items = lines(['the saliency-map and class-activation-maps of a grad-cam map']);
		expect(marked(items, '"saliency map"')).toEqual(['saliency-map']);
		expect(marked(items, '"activation maps"')).toEqual(['activation-maps']);
		expect(marked(items, '"grad-cam map"')).toEqual(['grad-cam map']);
		expect(marked(items, '"map activation"')).toEqual([]);
		expect(marked(items, '"map class"')).toEqual([]);
	});

	it('does not match a phrase whose words are apart', () => {
		const items = lines(['saliency differs from a map']);
		expect(marked(items, '"saliency map"')).toEqual([]);
	});

	it('with whole words off, finds a folded substring inside words', () => {
		const items = lines(['saliency-based and nonsaliency']);
		expect(marked(items, 'saliency', SUBSTRING)).toEqual(['saliency', 'saliency']);
		expect(marked(items, 'saliency', WHOLE)).toEqual(['saliency-based']);
	});

	it('with match case on, keeps only the occurrences written as typed', () => {
		const items = lines(['Attention and attention and ATTENTION']);
		expect(marked(items, 'Attention', { caseSensitive: true, wholeWord: true })).toEqual([
			'Attention'
		]);
		expect(marked(items, 'attention', { caseSensitive: true, wholeWord: false })).toEqual([
			'attention'
		]);
	});

	it('with match case on, compares the case of accented letters and ligatures as typed', () => {
		const items = lines(['M\u00fcller and m\u00fcller, \ufb01ne and FINE']);
		const caseOn = { caseSensitive: true, wholeWord: true };
		expect(marked(items, 'Muller', caseOn)).toEqual(['M\u00fcller']);
		expect(marked(items, 'fine', caseOn)).toEqual(['\ufb01ne']);
	});

	it('finds stop words when they are all that was typed', () => {
		expect(marked(lines(['to be or not to be']), 'not')).toEqual(['not']);
	});

	it('finds either side of an OR', () => {
		expect(marked(lines(['lime or shap values']), 'lime OR shap')).toEqual(['lime', 'shap']);
	});

	it('returns matches in reading order without overlaps', () => {
		const items = lines(['saliency maps and saliency']);
		const matches = findInPage(preparePage(items), findUnitsOfQuery('saliency "saliency maps"'));
		expect(matches.map((m) => [m.start, m.end])).toEqual([
			[0, 13],
			[18, 26]
		]);
	});
});

describe('rangesByItem', () => {
	it('groups the marks of each item, tagged with their match', () => {
		const items = lines(['a expla-'], ['nation and explanation']);
		const byItem = rangesByItem(findInPage(preparePage(items), findUnitsOfQuery('explanation')));
		expect([...byItem.entries()]).toEqual([
			[0, [{ start: 2, end: 8, match: 0 }]],
			[
				1,
				[
					{ start: 0, end: 6, match: 0 },
					{ start: 11, end: 22, match: 1 }
				]
			]
		]);
	});
});

describe('findUnitsOfQuery', () => {
	it('reads quoted phrases, words, and leaves out exclusions, operators and filters', () => {
		expect(findUnitsOfQuery('"saliency maps" grad-cam -lime topic:shap Tumour')).toEqual([
			{ surface: 'saliency maps', words: ['saliency', 'maps'] },
			{ surface: 'grad-cam', words: ['grad-cam'] },
			{ surface: 'Tumour', words: ['tumour'] }
		]);
	});

	it('ignores an unclosed quote rather than failing', () => {
		expect(findUnitsOfQuery('"deep learning').map((u) => u.words)).toEqual([['deep', 'learning']]);
	});
});

const CORPUS = '/work/shared/corpus/pdf';
const TWO_COLUMN = `${CORPUS}/jin-2022-evaluating-xai-multimodal.pdf`;

describe.skipIf(!existsSync(TWO_COLUMN))('findInPage on a real two-column paper', () => {
	it('finds "explanation" where page 1 splits it as "expla-" / "nation"', async () => {
		const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
		const doc = await getDocument({ data: new Uint8Array(readFileSync(TWO_COLUMN)), verbosity: 0 })
			.promise;
		const content = await (await doc.getPage(1)).getTextContent();
		const items = content.items.filter((item) => 'str' in item) as TextItemLike[];
		const found = marked(items, 'explanation');
		expect(found).toContain('expla-|nation');
		// Every match is an inflection of the word the reader asked for.
		for (const text of found)
			expect(text.replace(/[-|]/g, '').toLowerCase()).toMatch(/^explanations?$/);
		await doc.destroy();
	});
});

describe('itemRanges', () => {
	it('marks the words of a phrase, not a space item between them nor a space at an item end', () => {
		expect(
			marked(lines(['we call it ', 'post-hoc', ' ', 'XAI', ' here']), '"post-hoc XAI"')
		).toEqual(['post-hoc|XAI']);
		expect(marked(lines(['a post-hoc ', 'XAI method']), '"post-hoc XAI"')).toEqual([
			'post-hoc|XAI'
		]);
		// Inside one item the space between the words is marked with them.
		expect(marked(lines(['a post-hoc XAI method']), '"post-hoc XAI"')).toEqual(['post-hoc XAI']);
	});
});
