import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractPdf } from '../../scripts/ingest/extract.ts';
import { findReferences, type ReferenceSpan } from '../../src/lib/corpus/references.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { highlightOfSpec, matchRanges } from '../../src/lib/text/match-ranges.ts';
import { snippetMarks } from '../fixtures/highlight-agreement.ts';
import { filler, makeEngine } from './search-fixtures.ts';

const PDF_DIR = join(import.meta.dirname, '../../../shared/corpus/pdf');
const LIMITS = { maxBytes: 50 * 1024 * 1024, maxPages: 500 };

/** The text of the reference list, pages joined by a space. */
function referenceText(pages: string[], span: ReferenceSpan): string {
	const parts: string[] = [];
	for (let page = span.page; page <= span.endPage; page++) {
		const from = page === span.page ? span.start : 0;
		const to = page === span.endPage ? span.end : pages[page].length;
		parts.push(pages[page].slice(from, to));
	}
	return parts.join(' ');
}

describe('findReferences', () => {
	it('finds a numbered list after the conclusion, to the end of the paper', () => {
		const pages = [
			'Introduction. We study saliency. ' + filler(200, 1),
			filler(150, 2) +
				' Conclusion. It works. References [1] A. Smith. Saliency. In: MICCAI, 2019.',
			'[2] B. Jones. Maps. CVPR 2020. [3] C. Lee. Heat. 2021.'
		];
		const span = findReferences(pages)!;
		expect(span).toMatchObject({ page: 1, endPage: 2, end: pages[2].length });
		expect(pages[1].slice(span.start)).toMatch(/^References \[1\] A\. Smith/);
	});

	it('finds an author-year list and ends it at an appendix', () => {
		const pages = [
			filler(200, 3),
			'We thank the reviewers. REFERENCES Smith, A. 2019. Saliency maps. Jones, B.; and Lee, C. 2020. Heatmaps. ' +
				'Appendix A Proofs The proof of the lemma follows.'
		];
		const span = findReferences(pages)!;
		const text = referenceText(pages, span);
		expect(text).toMatch(/^REFERENCES Smith/);
		expect(text).toMatch(/Heatmaps\. $/);
		expect(text).not.toMatch(/Proofs/);
	});

	it('does not take a mention of references in a sentence for the list', () => {
		const pages = [
			'We list key references (Jin et al., 2021a) for each guideline, as references to assess 2019 and 2020 work. ' +
				filler(100, 4)
		];
		expect(findReferences(pages)).toBeNull();
	});

	describe.skipIf(!existsSync(PDF_DIR))('on the shared corpus', () => {
		it.each([
			// Two columns, author-year entries, references after the appendices.
			['jin-2022-evaluating-xai-multimodal.pdf', /^References Alvarez-Melis/, /OpenReview\.net\.$/],
			// Two columns, numbered entries.
			['wang-2020-covid-net.pdf', /^References \[1\] Joseph Paul Cohen/, /2018\. ?5?$/],
			// LNCS single column, numbered with dots.
			['graziani-2018-regression-concept-vectors.pdf', /^References 1\. Doshi-Velez/, /\(2014\)$/],
			// JOSS author-year, running to the end.
			['sinha-mrdataset-joss.pdf', /^References Brett, M\./, /joss\.01294$/]
		])('finds the reference list of %s', async (file, first, last) => {
			const result = await extractPdf(join(PDF_DIR, file), LIMITS);
			if (!result.ok) throw new Error(result.reason);
			const span = findReferences(result.pages)!;
			expect(span).not.toBeNull();
			const text = referenceText(result.pages, span).trim();
			expect(text).toMatch(first);
			expect(text).toMatch(last);
		});
	});
});

describe('references in the search', () => {
	const engine = makeEngine([
		{
			id: 'cites',
			title: 'Segmentation networks',
			pages: [
				filler(200, 5) + ' we segment the tumour. ',
				filler(100, 6) +
					' Conclusion. It segments. References [1] Hamarneh G., Saliency for lesions. MICCAI 2019. ' +
					'[2] Hamarneh G., Saliency again. 2020. [3] Hamarneh G. Saliency maps. 2021.'
			]
		},
		{
			id: 'discusses',
			title: 'Lesion explanations',
			pages: [
				filler(200, 7) + ' saliency of each lesion is shown. ' + filler(100, 8),
				filler(80, 9) + '. References [1] A. Smith. Networks. 2019. [2] B. Jones. Layers. 2020.'
			]
		},
		{
			id: 'same-page',
			title: 'Lesion maps',
			pages: [
				filler(120, 13) +
					' as Raamana showed, ' +
					filler(40, 14) +
					'. References [1] Raamana P. Quality control. 2019. [2] B. Jones. Layers. 2020.'
			]
		},
		{
			id: 'both',
			title: 'Networks',
			pages: [
				filler(100, 10) + ' as Hamarneh showed, ' + filler(100, 11),
				filler(80, 12) + '. References [1] Hamarneh G. Saliency. 2019. [2] B. Jones. Layers. 2020.'
			]
		}
	]);
	const search = (q: string) => engine.search(searchParams({ q }));

	it('ranks a paper that only cites the words below one whose text uses them, and says so', () => {
		const response = search('saliency');
		// `cites` has the word three times, `discusses` once: only where it is counts here.
		expect(response.hits.map((hit) => hit.id)).toEqual(['discusses', 'cites', 'both']);
		expect(response.hits.map((hit) => hit.inReferences)).toEqual([false, true, true]);
		const cites = response.hits.find((hit) => hit.id === 'cites')!;
		expect(cites.snippets.length).toBeGreaterThan(0);
		expect(cites.snippets.every((snippet) => snippet.inReferences)).toBe(true);
	});

	it('cuts the snippet from the body of a page but marks what the reader marks, the references too', () => {
		const hit = search('raamana').hits.find((hit) => hit.id === 'same-page')!;
		const page = engine.pageTextsOf('same-page')[0];
		const spec = engine.matchSpec('raamana', 'same-page')!;
		const reader = matchRanges(page, highlightOfSpec(spec));
		// The reader finds the word in the body and in the reference list.
		expect(reader.map(([from, to]) => page.slice(from, to))).toEqual(['Raamana', 'Raamana']);
		const { text, marks } = snippetMarks(hit.snippets[0].text);
		expect(hit.snippets[0].inReferences).toBeUndefined();
		expect(text).toContain('showed');
		expect(text).not.toContain('Quality control');
		// The snippet's marks are the reader's ranges inside the stretch of the page it shows.
		const at = page.indexOf(text);
		expect(at).toBeGreaterThanOrEqual(0);
		const inWindow = reader
			.filter(([from, to]) => from >= at && to <= at + text.length)
			.map(([from, to]) => [from - at, to - at]);
		expect(marks).toEqual(inWindow);
	});

	it('takes the snippet from the page text, not the reference list on the same page', () => {
		const hit = search('hamarneh').hits.find((hit) => hit.id === 'both')!;
		expect(hit.inReferences).toBe(false);
		expect(hit.snippets[0].text).toContain('showed');
		expect(hit.snippets[0].inReferences).toBeUndefined();
	});
});

describe('references and the words of a phrase', () => {
	const references = (entry: string) =>
		`${filler(80, 21)}. References [1] Smith A. ${entry}. 2019. [2] Jones B. Layers. 2020.`;
	const engine = makeEngine([
		{
			id: 'cites-phrase',
			title: 'Segmentation',
			pages: [`${filler(200, 22)} we segment lesions.`, references('Saliency maps for lesions')]
		},
		{
			id: 'uses-phrase',
			title: 'Explanations',
			pages: [
				`${filler(100, 23)} the saliency maps of each lesion ${filler(100, 24)}`,
				references('Networks')
			]
		},
		{
			id: 'cites-compound',
			title: 'Students',
			pages: [
				`${filler(100, 25)} a grad student and a cam ${filler(100, 26)}`,
				references('GradCAM for lesions')
			]
		},
		{
			id: 'uses-compound',
			title: 'Heatmaps',
			pages: [
				`${filler(100, 27)} the gradcam of each lesion ${filler(100, 28)}`,
				references('Networks')
			]
		}
	]);
	const search = (q: string) => engine.search(searchParams({ q }));

	it('says a quoted phrase found only in a reference list is cited, and ranks it below its use', () => {
		const hits = search('"saliency maps"').hits;
		expect(hits.map((hit) => [hit.id, hit.inReferences])).toEqual([
			['uses-phrase', false],
			['cites-phrase', true]
		]);
		// Its snippet is the reference that cites it, marked.
		const cited = hits.find((hit) => hit.id === 'cites-phrase')!;
		expect(cited.snippets.map((snippet) => [snippet.text, snippet.inReferences])).toEqual([
			[expect.stringContaining('<mark>Saliency maps</mark> for lesions'), true]
		]);
	});

	it('says "in references" for a compound cited there whose halves stand apart in the body', () => {
		// `gradcam` is also looked for as the phrase `grad cam`. `cites-compound` has both words in
		// its text, but apart: that is not the phrase, so what it matched is its reference list.
		const hits = search('gradcam').hits;
		expect(hits.map((hit) => hit.id)).toEqual(['uses-compound', 'cites-compound']);
		expect(hits.find((hit) => hit.id === 'cites-compound')!.inReferences).toBe(true);
		expect(hits.find((hit) => hit.id === 'uses-compound')!.inReferences).toBe(false);
	});
});

describe('references and a phrase word in the metadata', () => {
	const engine = makeEngine([
		{
			// "grad" is in its title, but the phrase `grad cam` (of `gradcam`) only in its references.
			id: 'grad-title-cites-compound',
			title: 'Grad school imaging',
			pages: [
				`${filler(200, 31)} we segment lesions.`,
				`${filler(80, 32)}. References [1] Smith A. GradCAM for lesions. 2019. [2] Jones B. Layers. 2020.`
			]
		},
		{
			id: 'uses-compound',
			title: 'Heatmaps',
			pages: [`${filler(100, 33)} the grad cam of each lesion ${filler(100, 34)}`]
		}
	]);

	it('says "in references" when the metadata holds a word of the phrase but not the phrase', () => {
		const hits = engine.search(searchParams({ q: 'gradcam' })).hits;
		expect(hits.map((hit) => [hit.id, hit.inReferences])).toEqual([
			['uses-compound', false],
			['grad-title-cites-compound', true]
		]);
	});
});
