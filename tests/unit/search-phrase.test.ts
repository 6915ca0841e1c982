import { describe, expect, it } from 'vitest';
import {
	PageKind,
	bytePhrase,
	bytesHavePhrase,
	capitalsKind,
	pageKind
} from '../../src/lib/search/phrase-filter.ts';
import { phraseOccursIn, wordsOfPhrase } from '../../src/lib/text/phrase.ts';
import { fold } from '../../src/lib/text/normalise.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { filler, makeEngine } from './search-fixtures.ts';

const PAGES = [
	'The GradCAM Maps of the lung.',
	'The Gradcam Maps of the lung.',
	'THE GRADCAM MAPS',
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
	const prepared = bytePhrase(wordsOfPhrase(phrase.tokens))!;

	it('agrees with the phrase pattern on folded text, on every kind of ASCII page', () => {
		for (const page of PAGES) {
			const bytes = Buffer.from(encoder.encode(`a ${page} z`));
			const kind = pageKind(bytes, 2, bytes.length - 2);
			const onText = phraseOccursIn(fold(page), phrase);
			if (/[^ -~]/.test(page)) {
				expect(kind, page).toBe(PageKind.Other);
				continue;
			}
			expect(kind, page).toBe(PageKind.Ascii);
			const capitals = capitalsKind(bytes, 2, bytes.length - 2);
			expect(capitals, page).toBe(
				/[A-Za-z0-9][A-Z]/.test(page) ? PageKind.MixedCaseAscii : PageKind.PlainAscii
			);
			expect(bytesHavePhrase(bytes, 2, bytes.length - 2, capitals, prepared), page).toBe(onText);
			const unsettled = bytesHavePhrase(bytes, 2, bytes.length - 2, PageKind.Ascii, prepared);
			expect(onText ? [true, null] : [null], page).toContain(unsettled);
			expect(
				bytesHavePhrase(bytes, 2, bytes.length - 2, PageKind.MixedCaseAscii, prepared),
				page
			).toBe(onText);
		}
	});

	it('finds phrases in mixed case and across punctuation, only as whole words', () => {
		const engine = makeEngine([
			{ id: 'mixed', title: 'One', pages: [filler(50, 1) + ' The GradCAM Maps show it.'] },
			{ id: 'accents', title: 'Two', pages: [filler(50, 2) + ' Müller’s gradcam-maps.'] },
			// Neither is the phrase: its words inside longer words. ("gradcammaps" would be: a pair
			// typed apart is also looked for joined.)
			{ id: 'inside', title: 'Three', pages: [filler(50, 3) + ' xgradcam maps and gradcam mapsx.'] }
		]);
		const ids = engine.search(searchParams({ q: '"gradcam maps"' })).hits.map((hit) => hit.id);
		expect(ids.sort()).toEqual(['accents', 'mixed']);
	});
});
