import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import PaperHead from '../../src/lib/components/proceedings/PaperHead.svelte';
import { buildPaperHead, openDataCatalog } from '../../src/lib/cite/index.ts';
import { buildAuthorIndex } from '../../src/lib/corpus/authors.ts';
import type { Catalog, Edition, Paper } from '../../src/lib/types.ts';

const edition: Edition = {
	id: 'imimic-2025',
	title: 'iMIMIC 2025',
	year: 2025,
	date: '2025-09-27',
	location: 'Daejeon, South Korea',
	doi: '10.1007/978-3-032-05001-1',
	complete: true
};

const paper: Paper = {
	id: 'gallee-minimum-data-2025',
	edition: 'imimic-2025',
	year: 2025,
	title: 'Minimum Data, Maximum Impact & "quotes" <b>',
	authors: [{ name: 'Luisa Gallée', orcid: '0000-0002-1694-233X' }, { name: 'Henning Müller' }],
	type: 'oral',
	award: 'Best Paper Award',
	abstract: 'An abstract.',
	abstractSource: 'curated',
	keywords: ['lung'],
	topics: [
		{
			id: 'concepts',
			label: 'Concepts',
			facet: 'method',
			source: 'inferred',
			score: 0.7,
			evidence: [{ term: 'concept', count: 3, pages: [1, 2] }]
		}
	],
	doi: '10.1007/978-3-032-05001-1_4',
	arxiv: null,
	url: null,
	code: null,
	pages: '34-45',
	license: 'CC BY 4.0',
	pdfUrl: null,
	pdf: { sha256: 'abc', bytes: 1000, pageCount: 12, origin: 'local' },
	file: 'imimic-2025/gallee-minimum-data-2025.yaml',
	words: 4000
};

/** Reads `<meta name|property=… content=…>` tags back out of rendered HTML. */
function metaTags(html: string): [string, string][] {
	const tags: [string, string][] = [];
	for (const match of html.matchAll(/<meta (name|property)="([^"]+)" content="([^"]*)"/g)) {
		const content = match[3]
			.replace(/&quot;/g, '"')
			.replace(/&lt;/g, '<')
			.replace(/&gt;/g, '>')
			.replace(/&amp;/g, '&');
		tags.push([match[2], content]);
	}
	return tags;
}

describe('PaperHead rendered on the server', () => {
	const { head } = render(PaperHead, {
		props: { head: buildPaperHead(paper, edition, 'https://imimic.example.org') }
	});

	it('puts the Highwire tags in the page head, escaped', () => {
		const tags = metaTags(head);
		const values = (name: string) => tags.filter(([n]) => n === name).map(([, c]) => c);
		expect(values('citation_title')).toEqual([paper.title]);
		expect(values('citation_author')).toEqual(['Luisa Gallée', 'Henning Müller']);
		expect(values('citation_publication_date')).toEqual(['2025/09/27']);
		expect(values('citation_conference_title')).toEqual(['iMIMIC 2025']);
		expect(values('citation_doi')).toEqual([paper.doi]);
		expect(values('citation_pdf_url')).toEqual([
			'https://imimic.example.org/papers/gallee-minimum-data-2025/pdf'
		]);
		expect(values('citation_firstpage')).toEqual(['34']);
		expect(values('citation_lastpage')).toEqual(['45']);
		expect(values('og:title')).toEqual([paper.title]);
	});

	it('has a canonical link and one JSON-LD ScholarlyArticle that parses', () => {
		expect(head).toContain(
			'<link rel="canonical" href="https://imimic.example.org/papers/gallee-minimum-data-2025"'
		);
		const scripts = [...head.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)];
		expect(scripts).toHaveLength(1);
		const data = JSON.parse(scripts[0][1]);
		expect(data['@type']).toBe('ScholarlyArticle');
		expect(data.name).toBe(paper.title);
		expect(data.author.map((a: { name: string }) => a.name)).toEqual([
			'Luisa Gallée',
			'Henning Müller'
		]);
	});
});

// ---------------------------------------------------------------- open data vs. its schema

/** Ajv with `format` checked (date, date-time, uri), so a malformed timestamp fails too. */
function schemaValidator(schema: object): (value: unknown) => string[] {
	const ajv = new Ajv2020({ allErrors: true, strict: true });
	addFormats(ajv);
	const check = ajv.compile(schema);
	return (value) =>
		check(value) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || '$'}: ${e.message}`);
}

describe('the open-data catalog', () => {
	const schema = JSON.parse(
		readFileSync(resolve(import.meta.dirname, '../../static/catalog.schema.json'), 'utf8')
	);
	const papers = [
		paper,
		{ ...paper, id: 'other-2025', pdf: null, pages: null, doi: null, award: null }
	];
	const catalog: Catalog = {
		builtAt: '2025-10-01T12:00:00.000Z',
		editions: [edition],
		papers,
		authors: buildAuthorIndex(papers),
		similar: {},
		map: [],
		taxonomy: {
			topics: [
				{
					id: 'concepts',
					label: 'Concepts',
					facet: 'method',
					description: 'x',
					terms: [{ term: 'concept', weight: 2 }]
				}
			],
			synonyms: [['a', 'b']],
			threshold: 0.45
		}
	};
	const data = openDataCatalog(catalog, catalog.authors, 'https://imimic.example.org');

	const validate = schemaValidator(schema);

	it('matches its documented JSON schema', () => {
		expect(validate(JSON.parse(JSON.stringify(data)))).toEqual([]);
	});

	it('fails the schema when a dated field is not a date', () => {
		const wrong = JSON.parse(JSON.stringify(data));
		wrong.builtAt = 'last Tuesday';
		wrong.editions[0].date = '27/09/2025';
		expect(validate(wrong)).toEqual([
			'/builtAt: must match format "date-time"',
			'/editions/0/date: must match format "date"'
		]);
	});

	it('keeps topics with their evidence and leaves internal paths out', () => {
		expect(data.papers[0].topics[0].evidence).toEqual([
			{ term: 'concept', count: 3, pages: [1, 2] }
		]);
		expect(data.papers[0]).not.toHaveProperty('file');
		expect(data.papers[0].fullText).toEqual({ pages: 12, words: 4000 });
		expect(data.papers[1].fullText).toBeNull();
		expect(data.papers[0].cite.bibtex).toBe(
			'https://imimic.example.org/papers/gallee-minimum-data-2025/cite.bib'
		);
	});

	it('is caught by the checker when a required field goes missing', () => {
		const broken = JSON.parse(JSON.stringify(data));
		delete broken.papers[0].title;
		expect(validate(broken)).toEqual(["/papers/0: must have required property 'title'"]);
	});
});
