import { describe, expect, it } from 'vitest';
import { buildSnippets, type Highlight } from '../../src/lib/search/snippets.ts';
import { indexTerms } from '../../src/lib/text/normalise.ts';

/** The marked words of the snippets of one page for the given query words. */
function marked(page: string, words: string[], phrases: string[][] = []): string[] {
	const highlight: Highlight = {
		terms: new Map(words.flatMap((word) => indexTerms(word)).map((term) => [term, 1])),
		phrases: phrases.map((tokens) => ({ tokens, inflected: false }))
	};
	const snippets = buildSnippets([{ page: 1, text: page }], highlight);
	return snippets.flatMap((snippet) =>
		[...snippet.text.matchAll(/<mark>(.*?)<\/mark>/g)].map((match) => match[1])
	);
}

describe('snippet marks', () => {
	it('marks every inflection and compound the index matched, and nothing inside other words', () => {
		const page =
			'Our explanations use Grad-CAM on T1-weighted scans. Two studies (Müller et al.) ' +
			'compared the explanation with gradcam maps; unexplanationable is not a word.';
		expect(marked(page, ['explanation'])).toEqual(['explanations', 'explanation']);
		expect(marked(page, ['study'])).toEqual(['studies']);
		expect(marked(page, ['muller'])).toEqual(['Müller']);
		expect(marked(page, ['weighted'])).toEqual(['T1-weighted']);
		expect(marked(page, ['cam'])).toEqual(['Grad-CAM']);
	});

	it('marks a compound written apart when the query wrote it together', () => {
		expect(marked('We apply Grad-CAM to the lungs.', ['gradcam'])).toEqual(['Grad-CAM']);
	});

	it('marks a phrase only where its words are adjacent, on a long page too', () => {
		const page =
			'map '.repeat(300) +
			'the class activation map shows it; a class of activation. ' +
			'word '.repeat(300);
		expect(marked(page, [], [['class', 'activation', 'map']])).toEqual(['class activation map']);
	});
});
