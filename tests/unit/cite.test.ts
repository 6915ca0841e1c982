import { describe, expect, it } from 'vitest';
import type { Edition, Paper } from '../../src/lib/types.ts';
import { makePaper } from '../fixtures/paper.ts';
import {
	buildPaperHead,
	editionToBibtex,
	encodeLatex,
	licenseAllowsRedistribution,
	paperToBibtex,
	paperToCsl,
	paperToRis,
	parseRis,
	serializeJsonLd,
	splitName
} from '../../src/lib/cite/index.ts';
import { parseBibtex } from '../../scripts/import/bibtex.ts';

const edition: Edition = {
	id: '2025',
	title: 'Interpretability of Machine Intelligence in Medical Image Computing (iMIMIC 2025)',
	year: 2025,
	venue: 'MICCAI 2025',
	location: 'Daejeon, South Korea',
	date: '2025-09-27',
	doi: '10.1007/978-3-032-00000-0',
	series: 'Lecture Notes in Computer Science',
	volume: 15999,
	editors: ['Mauricio Reyes', 'José Amorim'],
	complete: true
};

function paper(overrides: Partial<Paper> = {}): Paper {
	return makePaper({
		id: 'gallee-minimum-data',
		edition: '2025',
		year: 2025,
		title:
			'Minimum Data, Maximum Impact: 20 annotated samples for explainable lung nodule classification',
		authors: [
			{ name: 'Luisa Gallée', affiliation: 'Ulm University', orcid: '0000-0002-1825-0097' },
			{ name: 'Henning Müller' },
			{ name: 'Bram van Ginneken' },
			{ name: 'Søren Ørsted-Æbelø' }
		],
		abstract: 'We show that 20 samples & a {careful} 50% budget_suffice.',
		abstractSource: 'curated',
		keywords: ['XAI', 'lung nodules'],
		topics: [
			{
				id: 'prototypes',
				label: 'Prototypes',
				facet: 'method',
				source: 'curated',
				score: 1,
				evidence: []
			}
		],
		doi: '10.1007/978-3-032-00000-0_4',
		arxiv: '2508.01234',
		// As the ingest derives it from the arXiv id.
		pdfUrl: 'https://arxiv.org/pdf/2508.01234',
		pages: '34–45',
		license: 'CC BY 4.0',
		file: '2025/gallee-minimum-data.yaml',
		...overrides
	});
}

/** A field value as the import reads it back from BibTeX. */
function decodeLatex(value: string): string {
	const { records, errors } = parseBibtex(`@misc{k, title = {${value}}}`);
	expect(errors).toEqual([]);
	return records[0].fields.title;
}

describe('LaTeX encoding', () => {
	it('writes accents as commands and reads them back to the same Unicode', () => {
		const names = ['Gallée', 'Müller', 'Ørsted', 'Łukasz', 'Straße', 'Çağrı', 'Dvořák', 'Ñúñez'];
		for (const name of names) {
			const encoded = encodeLatex(name);
			expect(encoded).toMatch(/^[\x20-\x7e]+$/);
			expect(decodeLatex(encoded)).toBe(name);
		}
		expect(encodeLatex('Gallée')).toBe("Gall{\\'e}e");
	});

	it('escapes LaTeX specials so they survive', () => {
		const text = 'A & B: 50% of $x_1 #2 {braced} ~ ^ \\';
		expect(decodeLatex(encodeLatex(text))).toBe(text);
	});

	it('reads the accent spellings DBLP and Springer use', () => {
		expect(decodeLatex('M{\\"{u}}ller')).toBe('Müller');
		expect(decodeLatex("Gall\\'{e}e")).toBe('Gallée');
		expect(decodeLatex("Gall\\'ee")).toBe('Gallée');
		expect(decodeLatex('{\\c{C}}a{\\u{g}}r{\\i}')).toBe('Çağrı');
		expect(decodeLatex("Jos{\\'{\\i}}")).toBe('Jos' + 'í');
		expect(decodeLatex('Stra{\\ss}e')).toBe('Straße');
		expect(decodeLatex('{X}-Ray --- \\emph{really}')).toBe('X-Ray — really');
	});
});

describe('splitName', () => {
	it('keeps particles with the family name and reads the inverted form', () => {
		expect(splitName('Bram van Ginneken')).toEqual({ given: 'Bram', family: 'van Ginneken' });
		expect(splitName('Gallée, Luisa')).toEqual({ given: 'Luisa', family: 'Gallée' });
		expect(splitName('Shelley Zixin Shu')).toEqual({ given: 'Shelley Zixin', family: 'Shu' });
	});
});

describe('paperToBibtex', () => {
	const bib = paperToBibtex(paper(), edition);
	const [entry] = parseBibtex(bib).records;

	it('round-trips through the parser with every accent intact', () => {
		expect(entry.type).toBe('inproceedings');
		expect(entry.authors).toEqual([
			'Luisa Gallée',
			'Henning Müller',
			'Bram van Ginneken',
			'Søren Ørsted-Æbelø'
		]);
		expect(entry.fields.title).toBe(paper().title);
		expect(entry.editors).toEqual(['Mauricio Reyes', 'José Amorim']);
		expect(entry.fields.booktitle).toBe(edition.title);
		expect(entry.fields.abstract).toBe(paper().abstract);
	});

	it('is plain ASCII, with page ranges, DOI, arXiv and date fields', () => {
		expect(bib).toMatch(/^[\t\n\x20-\x7e]+$/);
		expect(entry.key).toBe('gallee2025minimum');
		expect(entry.fields.pages).toBe('34–45');
		expect(bib).toMatch(/^ {2}pages +=  ?\{34--45\},$/m);
		expect(entry.fields.doi).toBe('10.1007/978-3-032-00000-0_4');
		expect(entry.fields.eprint).toBe('2508.01234');
		expect(entry.fields.month).toBe('9');
		expect(entry.fields.year).toBe('2025');
		expect(entry.fields.series).toBe('Lecture Notes in Computer Science');
		expect(entry.fields.volume).toBe('15999');
	});

	it('protects acronyms and CamelCase from lower-casing styles', () => {
		const bib = paperToBibtex(paper({ title: 'ProtoENet: a CNN-Transformer for X-Ray' }), edition);
		const raw = /^ {2}title += \{(.*)\},$/m.exec(bib)?.[1];
		expect(raw).toContain('{ProtoENet}');
		expect(raw).toContain('{CNN-Transformer}');
		expect(raw).toContain('{X-Ray}');
	});

	it('writes an edition file whose keys are unique', () => {
		const twin = paper({ id: 'gallee-minimum-data-2' });
		const { records, errors } = parseBibtex(editionToBibtex([paper(), twin], edition));
		expect(errors).toEqual([]);
		expect(records.map((e) => e.key)).toEqual(['gallee2025minimum', 'gallee2025minimuma']);
	});
});

describe('parseBibtex', () => {
	it('reads macros, concatenation, quoted values and reports broken entries', () => {
		const { records, errors } = parseBibtex(`
@string{lncs = "Lecture Notes in Computer Science"}
@comment{ignored}
@InProceedings{DBLP:conf/miccai/GrazianiAM18,
  author = {Mara Graziani and Vincent Andrearczyk and Henning M{\\"{u}}ller},
  title = "Regression Concept Vectors for {B}idirectional Explanations",
  series = lncs # { vol.},
  month = oct, year = 2018,
}
@article{broken, title = {never closed
@misc{after, title = {Still read}}
`);
		expect(records.map((e) => e.key)).toEqual(['DBLP:conf/miccai/GrazianiAM18', 'after']);
		const [first] = records;
		expect(first.authors).toEqual(['Mara Graziani', 'Vincent Andrearczyk', 'Henning Müller']);
		expect(first.fields.series).toBe('Lecture Notes in Computer Science vol.');
		expect(first.fields.month).toBe('10');
		expect(first.fields.year).toBe('2018');
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(10);
	});
});

describe('paperToRis', () => {
	it('round-trips authors, pages and identifiers', () => {
		const [record] = parseRis(paperToRis(paper(), edition));
		expect(record.TY).toEqual(['CPAPER']);
		expect(record.AU).toEqual([
			'Gallée, Luisa',
			'Müller, Henning',
			'van Ginneken, Bram',
			'Ørsted-Æbelø, Søren'
		]);
		expect(record.TI).toEqual([paper().title]);
		expect(record.SP).toEqual(['34']);
		expect(record.EP).toEqual(['45']);
		expect(record.DO).toEqual([paper().doi]);
		expect(record.PY).toEqual(['2025']);
		expect(record.T2).toEqual([edition.title]);
		expect(record.KW).toEqual(['XAI', 'lung nodules']);
	});

	it('keeps a multi-line abstract on one RIS line', () => {
		const ris = paperToRis(paper({ abstract: 'line one\nline two' }), edition);
		expect(parseRis(ris)[0].AB).toEqual(['line one line two']);
	});
});

describe('paperToCsl', () => {
	it('survives JSON serialisation with names split into family and given', () => {
		const item = JSON.parse(JSON.stringify(paperToCsl(paper(), edition)));
		expect(item.type).toBe('paper-conference');
		expect(item.author[0]).toEqual({ family: 'Gallée', given: 'Luisa' });
		expect(item.author[2]).toEqual({ family: 'van Ginneken', given: 'Bram' });
		expect(item.issued).toEqual({ 'date-parts': [[2025, 9, 27]] });
		expect(item['container-title']).toBe(edition.title);
		expect(item.page).toBe('34-45');
		expect(item.DOI).toBe(paper().doi);
	});
});

describe('buildPaperHead', () => {
	const origin = 'https://imimic.example.org';
	const head = buildPaperHead(paper(), edition, origin);
	const values = (name: string) => head.meta.filter((m) => m.name === name).map((m) => m.content);
	const property = (name: string) =>
		head.meta.filter((m) => m.property === name).map((m) => m.content);

	it('emits the Highwire tags Google Scholar reads, one citation_author per author', () => {
		expect(values('citation_title')).toEqual([paper().title]);
		expect(values('citation_author')).toEqual(paper().authors.map((a) => a.name));
		expect(values('citation_publication_date')).toEqual(['2025/09/27']);
		expect(values('citation_conference_title')).toEqual([edition.title]);
		expect(values('citation_doi')).toEqual([paper().doi]);
		expect(values('citation_firstpage')).toEqual(['34']);
		expect(values('citation_lastpage')).toEqual(['45']);
		expect(values('citation_pdf_url')).toEqual(['https://arxiv.org/pdf/2508.01234']);
		const order = head.meta.map((m) => m.name);
		// The institution follows its author.
		expect(order.indexOf('citation_author_institution')).toBe(order.indexOf('citation_author') + 1);
	});

	it('points citation_pdf_url at this site when it holds a servable copy', () => {
		const withPdf = buildPaperHead(
			paper({ pdf: { sha256: 'ab', bytes: 10, pageCount: 1, origin: 'local' } }),
			edition,
			origin
		);
		expect(withPdf.meta.find((m) => m.name === 'citation_pdf_url')?.content).toBe(
			`${origin}/papers/gallee-minimum-data/pdf`
		);
	});

	it('has a canonical URL and OpenGraph tags', () => {
		expect(head.canonical).toBe(`${origin}/papers/gallee-minimum-data`);
		expect(property('og:url')).toEqual([head.canonical]);
		expect(property('og:type')).toEqual(['article']);
		expect(property('og:title')).toEqual([paper().title]);
		expect(property('article:author')).toHaveLength(4);
	});

	it('describes a ScholarlyArticle with the required fields', () => {
		// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON-LD is untyped JSON
		const ld = head.jsonLd as Record<string, any>;
		expect(ld['@context']).toBe('https://schema.org');
		expect(ld['@type']).toBe('ScholarlyArticle');
		expect(ld.headline.length).toBeLessThanOrEqual(110);
		expect(ld.name).toBe(paper().title);
		expect(ld.url).toBe(head.canonical);
		expect(ld.datePublished).toBe('2025-09-27');
		expect(ld.author.map((a: { '@type': string }) => a['@type'])).toEqual([
			'Person',
			'Person',
			'Person',
			'Person'
		]);
		expect(ld.author[0]).toMatchObject({
			name: 'Luisa Gallée',
			familyName: 'Gallée',
			affiliation: { '@type': 'Organization', name: 'Ulm University' },
			sameAs: 'https://orcid.org/0000-0002-1825-0097'
		});
		expect(ld.identifier).toContainEqual({
			'@type': 'PropertyValue',
			propertyID: 'DOI',
			value: paper().doi
		});
		expect(ld.isPartOf).toMatchObject({ '@type': 'Book', name: edition.title });
		expect(ld.isPartOf.isPartOf).toMatchObject({ '@type': 'BookSeries', volumeNumber: '15999' });
		expect(ld.pageStart).toBe('34');
	});

	it('serialises JSON-LD so that a title cannot close the script tag', () => {
		const text = serializeJsonLd(
			buildPaperHead(paper({ title: '</script><b>x' }), edition, origin).jsonLd
		);
		expect(text).not.toContain('</script>');
		expect(JSON.parse(text).name).toBe('</script><b>x');
	});
});

describe('licences', () => {
	it('allows redistribution for open licences only', () => {
		expect(licenseAllowsRedistribution('CC BY 4.0')).toBe(true);
		expect(licenseAllowsRedistribution('CC0 1.0')).toBe(true);
		expect(licenseAllowsRedistribution('arXiv non-exclusive')).toBe(false);
		expect(licenseAllowsRedistribution('All rights reserved')).toBe(false);
		expect(licenseAllowsRedistribution(null)).toBe(false);
	});
});
