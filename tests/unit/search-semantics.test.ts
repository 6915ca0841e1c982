import { describe, expect, it } from 'vitest';
import { filler, makeEngine } from './search-fixtures.ts';
import { searchParams } from '../../src/lib/search/params.ts';

const ids = (response: { hits: { id: string }[] }) => response.hits.map((hit) => hit.id).sort();

const engine = makeEngine([
	{
		id: 'piecewise',
		title: 'Linear surrogates',
		authors: ['Mia Jin'],
		pages: [
			filler(60, 1) + ' a piecewise linear model of the decision. ' + filler(40, 2),
			filler(50, 3) + ' we apply multimodal medical imaging. ' + filler(20, 4)
		]
	},
	{
		id: 'posthoc',
		title: 'Post-hoc methods',
		authors: ['Lee Park'],
		pages: [
			filler(60, 5) + ' every post-hoc XAI method was rated. ' + filler(40, 6),
			filler(50, 7) + ' on multi-modal medical data. ' + filler(20, 8)
		]
	},
	{
		id: 'glioma',
		title: 'Glioma grading with explanations',
		authors: ['Weina Jin', 'Ghassan Hamarneh'],
		pages: [
			filler(100, 9) + ' glioma grading. ' + filler(30, 10),
			'References 1. Hamarneh, G. (2019). Glioma explained. ' + filler(20, 22)
		]
	},
	{
		id: 'jin-other',
		title: 'Explainable AI taxonomy',
		authors: ['Weina Jin'],
		pages: [filler(100, 11) + ' a glioma is mentioned once. ' + filler(30, 12)]
	},
	{
		id: 'glioma-other',
		title: 'Glioma segmentation',
		authors: ['Ana Reyes'],
		pages: [
			filler(100, 13) +
				' we follow Jin et al. and Hamarneh G. (2020) on glioma. ' +
				filler(30, 14) +
				' built on COVID-Net and units of unit testing. ' +
				filler(20, 15)
		]
	},
	{
		id: 'brats',
		title: 'Tumour data',
		authors: ['Sam Ode'],
		pages: [filler(80, 16) + ' trained on BraTS2021 and ISIC2019 images. ' + filler(30, 17)]
	},
	{
		id: 'camera',
		title: 'Camera calibration for endoscopy',
		authors: ['Ivo Lens'],
		pages: [filler(80, 18) + ' the camera moves. ' + filler(30, 19)]
	},
	{
		id: 'names',
		title: 'Affiliations',
		authors: ['Kim Yan'],
		pages: [
			filler(80, 23) + ' Simon Fraser University, with Yan and grad students. ' + filler(30, 24)
		]
	},
	{
		id: 'cam',
		title: 'Localisation of lesions',
		authors: ['Ute Map'],
		pages: [filler(80, 20) + ' we compute CAM for each lesion, and CAM again. ' + filler(30, 21)]
	}
]);

const search = (q: string) => engine.search(searchParams({ q }));

describe('query semantics', () => {
	describe('a compound in quotes matches whether written hyphenated, apart or joined', () => {
		it.each([
			['"piece-wise linear"', '"piecewise linear"'],
			['"posthoc XAI"', '"post-hoc XAI"'],
			['"multimodal medical"', '"multi-modal medical"'],
			['"post hoc XAI"', '"post-hoc XAI"'],
			// Typed apart, written joined: the pair is also looked for as one word.
			['"piece wise linear"', '"piecewise linear"'],
			['"multi modal medical"', '"multi-modal medical"']
		])('%s finds what %s finds', (one, other) => {
			expect(ids(search(one))).toEqual(ids(search(other)));
			expect(search(one).total).toBeGreaterThan(0);
		});
		it('marks the joined word in the snippet of a phrase typed apart', () => {
			const [hit] = search('"piece wise linear"').hits;
			expect(hit.snippets[0].text).toContain('<mark>piecewise linear</mark>');
		});
		it('finds both spellings of multimodal medical', () => {
			expect(ids(search('"multimodal medical"'))).toEqual(['piecewise', 'posthoc']);
		});
	});

	it('ANDs different fields: author:jin title:glioma is the one paper', () => {
		expect(ids(search('author:jin title:glioma'))).toEqual(['glioma']);
	});

	it('ORs fields only when OR is written', () => {
		expect(ids(search('author:reyes OR title:camera'))).toEqual(['camera', 'glioma-other']);
	});

	it('matches author: in the author list, never in a bibliography, and shows no body snippet', () => {
		const response = search('author:hamarneh');
		expect(ids(response)).toEqual(['glioma']);
		for (const hit of response.hits) {
			for (const snippet of hit.snippets) expect(snippet.page).toBe(0);
		}
	});

	it('does not match a typed compound (u-net) to its fragments or look-alikes elsewhere', () => {
		const response = search('u-net');
		expect(response.total).toBe(0);
		expect(response.suggestion).toBeNull();
	});

	it('matches a joined word with its halves side by side only (gradcam, not simonyan)', () => {
		expect(search('simonyan').total).toBe(0);
		expect(ids(search('simonfraser'))).toEqual(['names']);
	});

	it('suggests only corrections that return results', () => {
		const suggestion = search('gliomx').suggestion;
		expect(suggestion).toBe('glioma');
		expect(search(suggestion!).total).toBeGreaterThan(0);
	});

	it('offers no correction that would find nothing with the rest of the query', () => {
		// Park wrote no paper on glioma grading: "glioma" is a known word, the query still fails.
		expect(search('author:park "gliomx grading"').suggestion).toBeNull();
		const followed = search('author:jin "gliomx grading"').suggestion;
		expect(followed).toBe('author:jin "glioma grading"');
		expect(ids(search(followed!))).toEqual(['glioma']);
	});

	it.each(['BraTS2012', 'BrTS2021', 'ISIC2091', 'ISIC2O19'])(
		'tolerates a one-letter typo inside a letter+digit token (%s)',
		(q) => {
			expect(ids(search(q))).toEqual(['brats']);
		}
	);

	it('ranks a paper using the acronym CAM above a title word it is a prefix of', () => {
		const response = search('CAM');
		expect(response.hits[0].id).toBe('cam');
	});
});
