import { describe, expect, it } from 'vitest';
import { searchParams } from '../../src/lib/search/params.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { buildIndexData } from '../../src/lib/search/index-data.ts';
import { filler, makeCorpus, makeEngine } from './search-fixtures.ts';

const ids = (response: { hits: { id: string }[] }) => response.hits.map((hit) => hit.id);
const search = (engine: ReturnType<typeof makeEngine>, q: string) =>
	engine.search(searchParams({ q }));

describe('ranking rules', () => {
	it('ranks a title match above a keyword match above an abstract match above a body match', () => {
		const engine = makeEngine([
			{
				id: 'body',
				title: 'A study of radiographs',
				pages: [filler(100, 1) + ' prototypes ' + filler(100, 2)]
			},
			{ id: 'abstract', title: 'A study of scans', abstract: 'We learn prototypes of lesions.' },
			{ id: 'keywords', title: 'A study of slices', keywords: ['prototypes'] },
			{ id: 'title', title: 'Prototypes for lesions' }
		]);
		expect(ids(search(engine, 'prototypes'))).toEqual(['title', 'keywords', 'abstract', 'body']);
	});

	it('does not let a long paper win by repeating a word', () => {
		const longBody = Array.from({ length: 40 }, (_, i) => filler(400, i) + ' attention').join(' ');
		const engine = makeEngine([
			{ id: 'long', title: 'A long report', pages: [longBody, longBody, longBody] },
			{ id: 'short', title: 'Attention maps for MRI', pages: [filler(300, 99)] }
		]);
		expect(ids(search(engine, 'attention'))[0]).toBe('short');
	});

	it('saturates term frequency: twenty mentions are not worth twenty times one', () => {
		const engine = makeEngine([
			{ id: 'many', title: 'Paper one', pages: [filler(200, 1) + ' calibration'.repeat(20)] },
			{ id: 'once', title: 'Paper two', pages: [filler(200, 2) + ' calibration'] }
		]);
		const [many, once] = search(engine, 'calibration').hits;
		expect(many.id).toBe('many');
		expect(many.score / once.score).toBeLessThan(3);
	});

	it('ranks an exact match above a prefix match (butter before buttery)', () => {
		const engine = makeEngine([
			{ id: 'buttery', title: 'A buttery texture', pages: [filler(100, 1)] },
			{ id: 'butter', title: 'A butter texture', pages: [filler(100, 1)] }
		]);
		expect(ids(search(engine, 'butter'))).toEqual(['butter', 'buttery']);
	});

	it('ranks a prefix match above a typo match', () => {
		const engine = makeEngine([
			{ id: 'typo', title: 'Segmentasion of tumours', pages: [filler(100, 1)] },
			{ id: 'prefix', title: 'Segmentations of tumours', pages: [filler(100, 1)] }
		]);
		// "segmentasio" is neither word: a prefix of one, one edit away from the other.
		const response = search(engine, 'segmentasio');
		expect(ids(response)).toContain('typo');
		const engine2 = makeEngine([
			{ id: 'fuzzy', title: 'Explenation quality', pages: [filler(100, 1)] },
			{ id: 'prefix', title: 'Explanationism quality', pages: [filler(100, 1)] }
		]);
		expect(ids(search(engine2, 'explanation'))).toEqual(['prefix', 'fuzzy']);
	});

	it('matches typos and prefixes of words found only in the metadata, field by field', () => {
		const engine = makeEngine([
			{ id: 'reyes', title: 'Saliency audits', authors: ['Lucia Reyes'], pages: [filler(100, 1)] },
			{
				id: 'other',
				title: 'Reyes-style audits',
				authors: ['Ada Example'],
				pages: [filler(100, 2)]
			}
		]);
		expect(ids(search(engine, 'author:reyez'))).toEqual(['reyes']);
		expect(ids(search(engine, 'author:rey'))).toEqual(['reyes']);
		expect(ids(search(engine, 'title:reyes'))).toEqual(['other']);
		const response = search(engine, 'saliancy');
		expect(ids(response)).toEqual(['reyes']);
		expect(response.suggestion).toBe('saliency');
	});

	it('ranks papers matching all the words above papers matching some, however strongly', () => {
		const engine = makeEngine([
			{
				id: 'some',
				title: 'Uncertainty uncertainty estimation',
				keywords: ['uncertainty'],
				pages: [filler(100, 1) + ' uncertainty'.repeat(30)]
			},
			{
				id: 'all',
				title: 'A paper',
				pages: [filler(300, 2) + ' uncertainty in radiology ' + filler(50, 3)]
			}
		]);
		expect(ids(search(engine, 'uncertainty radiology'))).toEqual(['all', 'some']);
	});
});

describe('technical vocabulary', () => {
	const engine = makeEngine([
		{ id: 'hyphen', title: 'Grad-CAM explanations for chest X-rays', pages: [filler(100, 1)] },
		{ id: 'joined', title: 'GradCAM on fundus images', pages: [filler(100, 2)] },
		{ id: 'apart', title: 'Grad CAM on mammograms', pages: [filler(100, 3)] },
		{
			id: 'unet',
			title: 'Saliency for U-Net segmentation of T1-weighted MRI',
			pages: [filler(100, 4)]
		},
		{
			id: 'posthoc',
			title: 'Post-hoc explanation of ViT and SHAP values',
			authors: ['Henning Müller'],
			pages: [filler(100, 5)]
		},
		{ id: 'other', title: 'Dataset tooling for radiology', pages: [filler(100, 6)] }
	]);
	const gradcamPapers = ['apart', 'hyphen', 'joined'];

	it.each(['Grad-CAM', 'gradcam', 'grad cam', 'GRAD-cam'])(
		'%s finds every way of writing Grad-CAM',
		(q) => {
			expect(ids(search(engine, q)).slice(0, 3).sort()).toEqual(gradcamPapers);
		}
	);

	it.each([
		['U-Net', 'unet'],
		['unet', 'unet'],
		['T1-weighted', 'unet'],
		['post-hoc', 'posthoc'],
		['posthoc', 'posthoc'],
		['SHAP', 'posthoc'],
		['ViT', 'posthoc'],
		['Muller', 'posthoc'],
		['müller', 'posthoc'],
		['explanations', 'hyphen'],
		['explanation', 'posthoc']
	])('%s finds %s', (q, id) => {
		expect(ids(search(engine, q))).toContain(id);
		expect(ids(search(engine, q))).not.toContain('other');
	});

	it('does not let stop words drown a rare term', () => {
		const response = search(engine, 'the segmentation of the');
		expect(ids(response)).toEqual(['unet']);
	});
});

describe('synonyms', () => {
	const engine = makeEngine([
		{ id: 'saliency', title: 'Saliency maps for knee MRI', pages: [filler(100, 1)] },
		{ id: 'heatmap', title: 'Heatmap explanations of lung CT', pages: [filler(100, 2)] },
		{ id: 'cam', title: 'Class activation map baselines', pages: [filler(100, 3)] },
		{ id: 'unrelated', title: 'Registration of brain scans', pages: [filler(100, 4)] }
	]);

	it('expands a query with the field’s synonyms, below the typed words, and says so', () => {
		const response = search(engine, 'saliency map');
		expect(ids(response)).toEqual(['saliency', 'heatmap']);
		// `attribution map` is in the list but in no paper, so it is not offered.
		expect(response.expansions).toEqual(['heatmap']);
		expect(response.hits[0].score).toBeGreaterThan(response.hits[1].score);
	});

	it('expands Grad-CAM to class activation map', () => {
		const response = search(engine, 'grad-cam');
		expect(ids(response)).toEqual(['cam']);
		expect(response.expansions).toContain('class activation map');
	});

	it('reports no expansion when none applies', () => {
		expect(search(engine, 'registration').expansions).toEqual([]);
	});
});

describe('multi-word synonyms', () => {
	const engine = makeEngine([
		{
			id: 'phrase',
			title: 'Explaining a lung classifier',
			pages: [
				filler(60, 1) +
					' the class activation maps show the lesion. ' +
					filler(60, 2) +
					' each class is balanced. ' +
					filler(40, 3)
			]
		},
		{
			id: 'scattered',
			title: 'Balancing a dataset',
			pages: [filler(50, 4) + ' class imbalance. ' + filler(50, 5) + ' a map of the activation. ']
		}
	]);

	it('count a paper only where the whole synonym phrase occurs', () => {
		const response = search(engine, 'grad-cam');
		expect(ids(response)).toEqual(['phrase']);
		expect(response.expansions).toEqual(['class activation map']);
	});

	it('treat a hyphenated synonym as a phrase too, and its one-word spelling as a match', () => {
		const compounds = makeEngine([
			{ id: 'hyphen', title: 'One', pages: [filler(40, 1) + ' a case-based explanation. '] },
			{ id: 'joined', title: 'Two', pages: [filler(40, 2) + ' we use GradCAM here. '] },
			{ id: 'loose', title: 'Three', pages: [filler(40, 3) + ' in this case the based model. '] }
		]);
		const response = search(compounds, 'prototype');
		expect(ids(response)).toEqual(['hyphen']);
		expect(response.hits[0].snippets[0].text).toContain('<mark>case-based</mark>');
		expect(ids(search(compounds, 'class activation map'))).toEqual(['joined']);
	});

	it('mark the phrase, never its words on their own', () => {
		const [hit] = search(engine, 'grad-cam').hits;
		const text = hit.snippets.map((snippet) => snippet.text).join(' ');
		expect(text).toContain('<mark>class activation maps</mark>');
		expect(text).not.toMatch(/<mark>class<\/mark>/);
		expect(text).not.toMatch(/<mark>(activation|map)<\/mark>/);
	});
});

describe('prefix and typo matches in the metadata', () => {
	const { catalog, docs } = makeCorpus([
		{ id: 'proto', title: 'Prototypes for dermatology', abstract: 'Prototype layers explain.' },
		{ id: 'protocol', title: 'A protocol for annotation', keywords: ['protocols'] },
		{ id: 'protein', title: 'Protein folding saliency', authors: ['Pro Tomas'] },
		{ id: 'other', title: 'Registration of brain scans' }
	]);
	const data = buildIndexData(docs);
	const engine = new SearchEngine(data, catalog);

	it('score every paper as MiniSearch’s own prefix and typo search does', () => {
		for (const [q, fuzzy] of [
			['proto', 1],
			['prot', 1],
			['protocl', 1]
		] as const) {
			const expected = new Map(
				data.metadata
					.search(q, { prefix: true, fuzzy })
					.map((result) => [result.id, Math.round(result.score * 1000) / 1000])
			);
			const hits = engine.search(searchParams({ q })).hits;
			expect(new Map(hits.map((hit) => [hit.id, hit.score])), q).toEqual(expected);
		}
	});
});

describe('quoted phrases', () => {
	it('score a paper as its best word scores there, counting every paper that holds the word', () => {
		// `zebra` is in six papers and `quokka` in four, the phrase in two: a word's idf counts all
		// the papers holding it, not only those holding the phrase.
		const pages = [
			['zebra quokka here, zebra again', 'zebra'],
			['one zebra quokka'],
			['zebra', 'quokka zebra'],
			['zebra only'],
			['zebra', 'zebra twice'],
			['quokka'],
			['nothing']
		];
		const engine = makeEngine(
			pages.map((texts, i) => ({
				id: `p${i}`,
				title: `Paper ${i}`,
				pages: texts.map((text, page) => `${filler(40, i * 2 + page)} ${text} ${filler(20, i)}`)
			}))
		);
		const scoreOf = (q: string, id: string) =>
			engine.search(searchParams({ q, limit: 100 })).hits.find((hit) => hit.id === id)?.score;
		const phraseHits = engine.search(searchParams({ q: '"zebra quokka"' })).hits;
		expect(phraseHits.map((hit) => hit.id).sort()).toEqual(['p0', 'p1']);
		for (const { id, score } of phraseHits) {
			const best = Math.max(scoreOf('zebra', id)!, scoreOf('quokka', id)!);
			expect(score).toBeCloseTo(1.5 * best, 2);
		}
	});
});
