import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import { editionNames } from '../../src/lib/catalog/programme.ts';
import HomePage from '../../src/routes/+page.svelte';
import EditionPage from '../../src/routes/editions/[id]/+page.svelte';
import type { Catalog, Edition } from '../../src/lib/types.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import { makePaper } from '../fixtures/paper.ts';

const main2018: Edition = {
	id: 'imimic-2018',
	title: 'iMIMIC 2018: 1st Workshop',
	year: 2018,
	complete: true
};
const satellite2018: Edition = {
	id: 'imimic-2018-satellite',
	title: 'iMIMIC 2018 Satellite: Tutorial Day',
	year: 2018,
	complete: true
};
const only2019: Edition = {
	id: 'imimic-2019',
	title: 'iMIMIC 2019: 2nd Workshop',
	year: 2019,
	complete: true
};

/** Two editions held in 2018 (the workshop and a satellite event) and one in 2019. */
function twoEditionsIn2018(): Catalog {
	return makeCatalog(
		[
			makePaper({ id: 'main', edition: main2018.id, year: 2018 }),
			makePaper({ id: 'satellite', edition: satellite2018.id, year: 2018 }),
			makePaper({ id: 'later', edition: only2019.id, year: 2019 })
		],
		{ editions: [only2019, main2018, satellite2018] }
	);
}

/** The texts of the elements a pattern captures in server-rendered markup, comments removed. */
function texts(html: string, pattern: RegExp): string[] {
	return [...html.matchAll(pattern)].map((match) =>
		match[1]
			.replace(/<!--.*?-->/g, '')
			.replace(/<[^>]+>/g, '')
			.replace(/\s+/g, ' ')
			.trim()
	);
}

function renderHome(catalog: Catalog): string {
	const data = {
		editions: catalog.editions.map((edition) => ({
			edition,
			papers: catalog.papers.filter((paper) => paper.edition === edition.id),
			...editionNames(catalog).get(edition.id)!
		})),
		totals: { papers: catalog.papers.length, withPdf: 0 }
	};
	return render(HomePage, { props: { data } as never }).body;
}

function renderEditionPage(catalog: Catalog, edition: Edition): string {
	const data = {
		edition,
		label: editionNames(catalog).get(edition.id)!.label,
		programme: [],
		awards: [],
		paperCount: 0,
		canonical: `https://example.org/editions/${edition.id}`
	};
	return render(EditionPage, { props: { data } as never }).body;
}

describe('home page with two editions in one year', () => {
	it('gives each edition its own jump link text and heading', () => {
		const body = renderHome(twoEditionsIn2018());
		const jump = body.slice(body.indexOf('class="jump'), body.indexOf('</nav>'));
		expect(texts(jump, /<a href="#[^"]*"[^>]*>(.*?)<\/a>/g)).toEqual([
			'2019',
			'iMIMIC 2018',
			'iMIMIC 2018 Satellite'
		]);
		expect(texts(body, /<h2 id="[^"]*-title"[^>]*>(.*?)<\/h2>/gs)).toEqual([
			'iMIMIC 2019',
			'iMIMIC 2018',
			'iMIMIC 2018 Satellite'
		]);
		expect(jump).toContain('href="#imimic-2018-satellite"');
	});

	it('keeps the bare year in the jump links when every year is unique', () => {
		const catalog = makeCatalog([
			makePaper({ id: 'a', year: 2019 }),
			makePaper({ id: 'b', year: 2025 })
		]);
		const body = renderHome(catalog);
		const jump = body.slice(body.indexOf('class="jump'), body.indexOf('</nav>'));
		expect(texts(jump, /<a href="#[^"]*"[^>]*>(.*?)<\/a>/g)).toEqual(['2025', '2019']);
		expect(texts(body, /<h2 id="[^"]*-title"[^>]*>(.*?)<\/h2>/gs)).toEqual([
			'iMIMIC 2025',
			'iMIMIC 2019'
		]);
	});
});

describe('edition page breadcrumb', () => {
	const crumb = (body: string) => texts(body, /<nav class="crumbs[^"]*"[^>]*>(.*?)<\/nav>/gs);

	it('names each of two editions held in one year differently', () => {
		const catalog = twoEditionsIn2018();
		expect(crumb(renderEditionPage(catalog, main2018))).toEqual(['Editions › iMIMIC 2018']);
		expect(crumb(renderEditionPage(catalog, satellite2018))).toEqual([
			'Editions › iMIMIC 2018 Satellite'
		]);
	});

	it('shows the bare year for an edition alone in its year', () => {
		expect(crumb(renderEditionPage(twoEditionsIn2018(), only2019))).toEqual(['Editions › 2019']);
	});
});
