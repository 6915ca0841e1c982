import { describe, expect, it } from 'vitest';
import { FacetCounter, passesFacets } from '../../src/lib/search/facets.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import type {
	Catalog,
	FacetCounts,
	Paper,
	PaperTopic,
	SearchParams,
	SearchResponse
} from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { makePaper } from '../fixtures/paper.ts';
import { seededRandom } from '../fixtures/synthetic-text.ts';

const TOPICS = ['uncertainty', 'visualization', 'concepts', 'unlisted-topic'];
const METHODS = ['grad-cam', 'prototypes', 'unlisted-method'];
const EDITIONS = [
	{ id: 'imimic-2025', year: 2025 },
	{ id: 'imimic-2024', year: 2024 },
	// In no edition list of the catalog, as a paper of an edition not yet described.
	{ id: 'imimic-1999', year: 1999 }
];
const TYPES = ['oral', 'poster', 'keynote', null] as const;

function randomPapers(random: () => number, count: number): Paper[] {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	return Array.from({ length: count }, (_, i) => {
		const edition = pick(EDITIONS);
		const topic = (id: string, facet: PaperTopic['facet']): PaperTopic => ({
			id,
			label: id,
			facet,
			source: 'curated',
			score: 1,
			evidence: []
		});
		const topics = [
			...TOPICS.filter(() => random() < 0.3).map((id) => topic(id, 'topic')),
			...METHODS.filter(() => random() < 0.3).map((id) => topic(id, 'method'))
		];
		return makePaper({
			id: `p${i}`,
			edition: edition.id,
			year: edition.year,
			type: pick(TYPES),
			award: random() < 0.1 ? 'Best paper' : null,
			topics
		});
	});
}

function catalogOf(papers: Paper[]): Catalog {
	const listed = (ids: string[], facet: 'topic' | 'method') =>
		ids
			.filter((id) => !id.startsWith('unlisted'))
			.map((id) => ({ id, label: id, facet, description: '', terms: [] }));
	return makeCatalog(papers, {
		editions: EDITIONS.slice(0, 2).map((edition) => ({
			...edition,
			title: edition.id,
			complete: true
		})),
		taxonomy: {
			topics: [...listed(TOPICS, 'topic'), ...listed(METHODS, 'method')],
			synonyms: [],
			threshold: 1
		},
		similar: {},
		map: []
	});
}

/** The counts by their definition: per value, the matching papers that pass the other facets. */
function countsByDefinition(
	candidate: Uint8Array,
	papers: Paper[],
	catalog: Catalog,
	params: SearchParams
): SearchResponse['facets'] {
	const listed = (keys: (string | number)[]): FacetCounts =>
		Object.fromEntries(keys.map((key) => [String(key), 0]));
	const taxonomy = catalog.taxonomy.topics;
	const facets: SearchResponse['facets'] = {
		topic: listed(taxonomy.filter((t) => t.facet === 'topic').map((t) => t.id)),
		method: listed(taxonomy.filter((t) => t.facet === 'method').map((t) => t.id)),
		edition: listed(catalog.editions.map((edition) => edition.id)),
		year: listed(catalog.editions.map((edition) => edition.year)),
		type: listed(['oral', 'poster', 'keynote', 'invited', 'paper']),
		award: listed(['yes'])
	};
	const add = (counts: FacetCounts, key: string | number) => (counts[key] = (counts[key] ?? 0) + 1);
	papers.forEach((paper, p) => {
		if (!candidate[p]) return;
		const passes = (facet: string) => passesFacets(paper, params, facet);
		for (const topic of paper.topics) if (passes(topic.facet)) add(facets[topic.facet], topic.id);
		if (passes('edition')) add(facets.edition, paper.edition);
		if (passes('year')) add(facets.year, paper.year);
		if (paper.type && passes('type')) add(facets.type, paper.type);
		if (paper.award && passes('award')) add(facets.award, 'yes');
	});
	return facets;
}

describe('FacetCounter', () => {
	it('counts every facet value of the matching papers, in the order of the listed values', () => {
		const random = seededRandom(5);
		const papers = randomPapers(random, 120);
		const catalog = catalogOf(papers);
		const counter = new FacetCounter(papers, catalog);
		const selections: Partial<SearchParams>[] = [
			{},
			{ topic: ['uncertainty'] },
			{ method: ['grad-cam', 'unlisted-method'], year: [2024] },
			{ edition: ['imimic-1999'], type: ['poster'] },
			{ award: true, topic: ['concepts', 'visualization'] }
		];
		for (const selection of selections) {
			for (let round = 0; round < 10; round++) {
				const candidate = Uint8Array.from(papers, () => (random() < 0.4 ? 1 : 0));
				const params = searchParams(selection);
				const counted = counter.count(candidate, papers, params);
				const expected = countsByDefinition(candidate, papers, catalog, params);
				expect(counted).toEqual(expected);
				for (const facet of Object.keys(expected) as (keyof typeof expected)[])
					expect(Object.keys(counted[facet])).toEqual(Object.keys(expected[facet]));
			}
		}
	});

	it('lists a value of no catalog list only when a matching paper has it', () => {
		const papers = randomPapers(seededRandom(9), 40);
		const counter = new FacetCounter(papers, catalogOf(papers));
		const none = counter.count(new Uint8Array(papers.length), papers, searchParams());
		expect(Object.keys(none.edition)).toEqual(['imimic-2025', 'imimic-2024']);
		expect(Object.values(none.topic).every((count) => count === 0)).toBe(true);
		const only = papers.findIndex((paper) => paper.edition === 'imimic-1999');
		const candidate = new Uint8Array(papers.length);
		candidate[only] = 1;
		expect(counter.count(candidate, papers, searchParams()).edition['imimic-1999']).toBe(1);
	});
});
