import { describe, expect, it } from 'vitest';
import { searchParams } from '../../src/lib/search/params.ts';
import { firstInOrder } from '../../src/lib/search/first-in-order.ts';
import { filler, makeEngine } from './search-fixtures.ts';

const ids = (response: { hits: { id: string }[] }) => response.hits.map((hit) => hit.id);

describe('SearchEngine', () => {
	const engine = makeEngine([
		{
			id: 'gradcam-paper',
			title: 'Grad-CAM for chest radiographs',
			abstract: 'We study class activation maps on chest X-rays.',
			topics: [{ id: 'grad-cam' }, { id: 'visualization' }],
			type: 'oral',
			award: 'Best paper',
			pages: [
				filler(200, 1) + ' Grad-CAM highlights the lung fields. ' + filler(100, 2),
				filler(300, 3),
				filler(50, 4) + ' Again Grad-CAM on page three. ' + filler(50, 5)
			]
		},
		{
			id: 'uncertainty-paper',
			title: 'Calibrated uncertainty for segmentation',
			year: 2024,
			topics: [{ id: 'uncertainty' }],
			type: 'poster',
			pages: [filler(200, 6) + ' a brief mention of saliency maps here. ' + filler(40, 7)]
		},
		{
			id: 'metadata-only',
			title: 'Prototype networks explained',
			year: 2023,
			topics: [{ id: 'prototypes', facet: 'method' }]
		}
	]);

	it('returns one hit per paper with the pages that matched', () => {
		const response = engine.search(searchParams({ q: 'grad-cam' }));
		expect(ids(response)[0]).toBe('gradcam-paper');
		expect(response.hits.filter((hit) => hit.id === 'gradcam-paper')).toHaveLength(1);
		expect(response.hits[0].pages).toEqual([1, 3]);
	});

	it('marks the matched words in snippets that carry their page', () => {
		const hit = engine.search(searchParams({ q: 'grad-cam lung' })).hits[0];
		expect(hit.snippets[0].page).toBe(1);
		expect(hit.snippets[0].text).toContain('<mark>Grad-CAM</mark>');
		expect(hit.snippets[0].text).toContain('<mark>lung</mark>');
	});

	it('gives the indexed text of each page of a paper, page one first, for the reader', () => {
		const texts = engine.pageTextsOf('gradcam-paper');
		expect(texts).toHaveLength(3);
		expect(texts[0]).toContain('Grad-CAM highlights the lung fields.');
		expect(texts[2]).toContain('Again Grad-CAM on page three.');
		expect(texts[1]).not.toContain('Grad-CAM');
		expect(engine.pageTextsOf('metadata-only')).toEqual([]);
		expect(engine.pageTextsOf('no-such-paper')).toEqual([]);
	});

	describe('pageSnippets', () => {
		it('marks the query on the page asked for, any page of the paper', () => {
			const third = engine.pageSnippets('gradcam-paper', 3, 'grad-cam');
			expect(third.map((snippet) => snippet.page)).toEqual([3]);
			expect(third[0].text).toContain('<mark>Grad-CAM</mark> on page three');
			expect(engine.pageSnippets('gradcam-paper', 1, 'lung')[0].text).toContain(
				'<mark>lung</mark>'
			);
		});

		it('gives nothing for a page without the words, an unknown paper or an empty query', () => {
			expect(engine.pageSnippets('gradcam-paper', 2, 'grad-cam')).toEqual([]);
			expect(engine.pageSnippets('no-such-paper', 1, 'grad-cam')).toEqual([]);
			expect(engine.pageSnippets('gradcam-paper', 1, '')).toEqual([]);
		});
	});

	it('browses every paper, newest first, for an empty query', () => {
		const response = engine.search(searchParams({ q: '' }));
		expect(response.total).toBe(3);
		expect(ids(response)).toEqual(['gradcam-paper', 'uncertainty-paper', 'metadata-only']);
	});

	it('counts facets over the query matches', () => {
		const response = engine.search(searchParams({ q: '' }));
		expect(response.facets.topic.uncertainty).toBe(1);
		expect(response.facets.method['grad-cam']).toBe(1);
		expect(response.facets.type).toMatchObject({ oral: 1, poster: 1, keynote: 0 });
		expect(response.facets.award.yes).toBe(1);
		expect(response.facets.year).toEqual({ '2025': 1, '2024': 1, '2023': 1 });
	});
});

describe('firstInOrder', () => {
	it('gives the same first items as a full sort, ties included', () => {
		const items = Array.from({ length: 500 }, (_, i) => (i * 7919) % 101);
		const byValueThenIndex = (a: number, b: number) => b - a;
		for (const count of [0, 1, 5, 20, 120, 600]) {
			const sorted = [...items].sort(byValueThenIndex).slice(0, count);
			expect(firstInOrder([...items], count, byValueThenIndex)).toEqual(sorted);
		}
	});
});
