import { describe, expect, it } from 'vitest';
import { asciiBytesHavePhrase, asciiPhraseWords } from '../../src/lib/search/phrase-filter.ts';
import { phraseOccursIn, wordsOfPhrase } from '../../src/lib/search/snippets.ts';
import { foldWhole } from '../../src/lib/text/normalise.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { filler, makeEngine } from './search-fixtures.ts';

const PAGES = [
	'The GradCAM Maps of the lung.',
	'gradcam-maps, again',
	'gradcam (maps)',
	'gradcammaps',
	'xgradcam maps',
	'gradcam mapsx',
	'gradcam',
	'maps gradcam',
	'Müller map: gradcam maps',
	'gradcam\u2013maps',
	'gradcam\u00e9 maps'
];

describe('phrase check on page bytes', () => {
	const encoder = new TextEncoder();
	const phrase = { tokens: ['gradcam', 'maps'], inflected: false };
	const words = asciiPhraseWords(wordsOfPhrase(phrase.tokens))!;

	it('agrees with the phrase pattern on folded text, or declines on text other than ASCII', () => {
		for (const page of PAGES) {
			const bytes = encoder.encode(`  ${page}  `);
			const onBytes = asciiBytesHavePhrase(bytes, 2, bytes.length - 2, words);
			const onText = phraseOccursIn(foldWhole(page), phrase);
			if (/[^\x00-\x7f]/.test(page)) expect([null, onText], page).toContain(onBytes);
			else expect(onBytes, page).toBe(onText);
		}
	});

	it('finds phrases in mixed case and across punctuation, only as whole words', () => {
		const engine = makeEngine([
			{ id: 'mixed', title: 'One', pages: [filler(50, 1) + ' The GradCAM Maps show it.'] },
			{ id: 'accents', title: 'Two', pages: [filler(50, 2) + ' Müller’s gradcam-maps.'] },
			{ id: 'joined', title: 'Three', pages: [filler(50, 3) + ' xgradcam maps gradcammaps.'] }
		]);
		const ids = engine.search(searchParams({ q: '"gradcam maps"' })).hits.map((hit) => hit.id);
		expect(ids.sort()).toEqual(['accents', 'mixed']);
	});
});
