import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import EditionBars from '../../src/lib/components/proceedings/EditionBars.svelte';
import PaperMap from '../../src/lib/components/proceedings/PaperMap.svelte';
import TopicHeatmap from '../../src/lib/components/proceedings/TopicHeatmap.svelte';
import { paperMapView } from '../../src/lib/catalog/paper-map.ts';
import {
	editionColumns,
	heatmapRows,
	programmeOf,
	topicEditionBars
} from '../../src/lib/catalog/programme.ts';
import type { Catalog, Edition, PaperTopic, TaxonomyEntry } from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { makePaper } from '../fixtures/paper.ts';

const prototypes: TaxonomyEntry = {
	id: 'prototypes',
	label: 'Prototypes',
	facet: 'topic',
	description: 'Case-based reasoning with learned prototypes.',
	terms: [{ term: 'prototype', weight: 1 }]
};

const tag: PaperTopic = {
	id: 'prototypes',
	label: 'Prototypes',
	facet: 'topic',
	source: 'curated',
	score: 1,
	evidence: []
};

/** Two editions held in 2018 (the workshop and a satellite event) and one in 2019. */
function twoEditionsIn2018(editions?: Edition[]): Catalog {
	const papers = [
		makePaper({ id: 'main-a', edition: 'imimic-2018', year: 2018, topics: [tag] }),
		makePaper({ id: 'main-b', edition: 'imimic-2018', year: 2018, topics: [tag] }),
		makePaper({ id: 'satellite', edition: 'imimic-2018-satellite', year: 2018, topics: [tag] }),
		makePaper({ id: 'later', edition: 'imimic-2019', year: 2019 })
	];
	return makeCatalog(papers, {
		editions: editions ?? [
			{ id: 'imimic-2019', title: 'iMIMIC 2019: 2nd Workshop', year: 2019, complete: true },
			{ id: 'imimic-2018', title: 'iMIMIC 2018: 1st Workshop', year: 2018, complete: true },
			{
				id: 'imimic-2018-satellite',
				title: 'iMIMIC 2018 Satellite: Tutorial Day',
				year: 2018,
				complete: true
			}
		],
		taxonomy: { topics: [prototypes], synonyms: [], threshold: 0.5 }
	});
}

/** The texts of the elements matching a tag in server-rendered markup. */
function texts(html: string, pattern: RegExp): string[] {
	return [...html.matchAll(pattern)].map((match) => match[1].replace(/<!--.*?-->/g, '').trim());
}

describe('editionColumns', () => {
	it('labels an edition by its year when no other edition shares it', () => {
		const catalog = makeCatalog([
			makePaper({ id: 'a', year: 2019 }),
			makePaper({ id: 'b', year: 2025 })
		]);
		expect(editionColumns(catalog)).toEqual([
			{ id: 'imimic-2019', label: '2019' },
			{ id: 'imimic-2025', label: '2025' }
		]);
	});

	it('names editions sharing a year by their short title, keyed by edition id', () => {
		expect(editionColumns(twoEditionsIn2018())).toEqual([
			{ id: 'imimic-2018', label: 'iMIMIC 2018' },
			{ id: 'imimic-2018-satellite', label: 'iMIMIC 2018 Satellite' },
			{ id: 'imimic-2019', label: '2019' }
		]);
	});

	it('falls back to the edition id when editions sharing a year have alike titles', () => {
		const alike = twoEditionsIn2018([
			{ id: 'imimic-2018', title: 'iMIMIC 2018', year: 2018, complete: true },
			{ id: 'imimic-2018-satellite', title: 'iMIMIC 2018', year: 2018, complete: true },
			{ id: 'imimic-2019', title: 'iMIMIC 2019', year: 2019, complete: true }
		]);
		expect(editionColumns(alike).map((column) => column.label)).toEqual([
			'imimic-2018',
			'imimic-2018-satellite',
			'2019'
		]);
	});
});

describe('topic heat map with two editions in one year', () => {
	it('draws one distinctly labelled column per edition and counts each apart', () => {
		const catalog = twoEditionsIn2018();
		const columns = editionColumns(catalog);
		const { body } = render(TopicHeatmap, {
			props: { rows: heatmapRows(catalog, 'topic', columns), columns }
		});
		expect(texts(body, /<text[^>]*class="column[^"]*"[^>]*>([^<]*)<\/text>/g)).toEqual([
			'iMIMIC 2018',
			'iMIMIC 2018 Satellite',
			'2019'
		]);
		expect(texts(body, /<g><title>([^<]*)<\/title>/g)).toEqual([
			'Prototypes, iMIMIC 2018: 2 papers',
			'Prototypes, iMIMIC 2018 Satellite: 1 paper',
			'Prototypes, 2019: 0 papers'
		]);
		expect(body).toContain('href="/editions/imimic-2018-satellite"');
	});

	it("gives a topic's page one bar per edition, not per year", () => {
		const bars = topicEditionBars(twoEditionsIn2018(), 'prototypes');
		const { body } = render(EditionBars, { props: { bars, title: 'Prototypes per edition' } });
		expect(texts(body, /<g><title>([^<]*)<\/title>/g)).toEqual([
			'iMIMIC 2018: 2 papers',
			'iMIMIC 2018 Satellite: 1 paper',
			'2019: 0 papers'
		]);
	});
});

describe('paper map filter with two editions in one year', () => {
	it('offers each edition under its own label and filters by edition id', () => {
		const catalog = twoEditionsIn2018();
		const view = paperMapView(catalog, catalog.map, ['imimic-2018-satellite', 'no-such']);
		expect(view.editions.map(({ id, label }) => ({ id, label }))).toEqual([
			{ id: 'imimic-2018', label: 'iMIMIC 2018' },
			{ id: 'imimic-2018-satellite', label: 'iMIMIC 2018 Satellite' },
			{ id: 'imimic-2019', label: '2019' }
		]);
		expect(view.selected).toEqual(['imimic-2018-satellite']);

		const { body } = render(PaperMap, { props: { points: view.points, selected: view.selected } });
		expect(texts(body, /<circle[^>]*><title>([^<]*)<\/title>/g)).toEqual([
			'Paper satellite (iMIMIC 2018 Satellite) — Prototypes'
		]);
	});

	it('shows every edition when none (or none that exists) is requested', () => {
		const catalog = twoEditionsIn2018();
		expect(paperMapView(catalog, catalog.map, ['no-such']).selected).toEqual([
			'imimic-2018',
			'imimic-2018-satellite',
			'imimic-2019'
		]);
	});
});

describe('programmeOf', () => {
	it('lists papers whose presentation format is not recorded in their own session, after the posters', () => {
		const sessions = programmeOf([
			makePaper({ id: 'unknown-format', type: 'paper' }),
			makePaper({ id: 'a-poster', type: 'poster' }),
			makePaper({ id: 'a-talk', type: 'oral' })
		]);
		expect(sessions.map((session) => [session.label, session.papers.map((p) => p.id)])).toEqual([
			['Oral presentations', ['a-talk']],
			['Posters', ['a-poster']],
			['Papers (session not recorded)', ['unknown-format']]
		]);
	});
});
