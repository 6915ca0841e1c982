import { describe, expect, it } from 'vitest';
import { buildSnippets, type Highlight } from '../../src/lib/search/snippets.ts';
import { indexTerms } from '../../src/lib/text/normalise.ts';

function highlightOf(words: string[]): Highlight {
	return {
		terms: new Map(words.flatMap((word) => indexTerms(word)).map((term) => [term, 1])),
		phrases: []
	};
}

const marks = (text: string) => [...text.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => m[1]);

describe('snippets of a page folded before', () => {
	// A page with accents, ligatures and dashes: folded with a position map, then kept for reuse.
	const page =
		'Müller’s ﬁndings: saliency maps — unlike Grad‑CAM — were judged by ﬁve clinicians. ' +
		'Each clinician rated the saliency of every map on a ﬁve-point scale.';

	it('marks, for each new query on the same page, that query’s words at their true places', () => {
		const first = buildSnippets([{ page: 4, text: page }], highlightOf(['saliency']));
		const second = buildSnippets([{ page: 4, text: page }], highlightOf(['clinicians']));
		const third = buildSnippets([{ page: 4, text: page }], highlightOf(['muller', 'findings']));
		expect(marks(first[0].text)).toEqual(['saliency', 'saliency']);
		expect(marks(second[0].text)).toEqual(['clinicians', 'clinician']);
		expect(marks(third[0].text)).toEqual(['Müller’s', 'ﬁndings']);
	});

	it('gives a page that differs by one character its own marks, not the other’s', () => {
		const other = page.replace('Müller’s', 'Möller’s');
		buildSnippets([{ page: 4, text: page }], highlightOf(['muller']));
		expect(buildSnippets([{ page: 4, text: other }], highlightOf(['muller']))).toEqual([]);
		expect(
			marks(buildSnippets([{ page: 4, text: other }], highlightOf(['moller']))[0].text)
		).toEqual(['Möller’s']);
	});
});
