/**
 * What a paper page puts in its <head> for machines: Highwire Press `citation_*` tags (read by
 * Google Scholar and Zotero), schema.org ScholarlyArticle JSON-LD, OpenGraph and the canonical
 * URL. Pure data; `PaperHead.svelte` renders it.
 */
import type { Edition, Paper } from '../types.ts';
import { splitName } from './names.ts';
import { canServePdf } from '../pdf-access.ts';

export interface MetaTag {
	/** `name="…"` (Highwire, description) or `property="…"` (OpenGraph). */
	name?: string;
	property?: string;
	content: string;
}

export interface PaperHeadData {
	title: string;
	description: string;
	canonical: string;
	meta: MetaTag[];
	jsonLd: Record<string, unknown>;
}

/** The canonical page URL of a paper. */
export function paperUrl(origin: string, paperId: string): string {
	return `${origin}/papers/${encodeURIComponent(paperId)}`;
}

/**
 * Where a machine can read the full text: this site's copy when it holds one it may serve,
 * else the arXiv PDF, else null.
 */
export function paperPdfUrl(paper: Paper, origin: string): string | null {
	if (canServePdf(paper)) return `${paperUrl(origin, paper.id)}/pdf`;
	return paper.pdfUrl;
}

function firstAndLastPage(pages: string | null): [string, string | undefined] | null {
	if (!pages) return null;
	const [first, last] = pages.split(/\s*[-–—]+\s*/);
	return first ? [first, last] : null;
}

function shorten(text: string, max: number): string {
	const clean = text.replace(/\s+/g, ' ').trim();
	if (clean.length <= max) return clean;
	const cut = clean.slice(0, max - 1);
	return `${cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : cut.length)}…`;
}

/** A one-paragraph description: the abstract, or a sentence built from the facts. */
function paperDescription(paper: Paper, edition: Edition | undefined): string {
	if (paper.abstract) return shorten(paper.abstract, 300);
	const names = paper.authors.map((a) => a.name);
	const by = names.length > 3 ? `${names.slice(0, 3).join(', ')} et al.` : names.join(', ');
	return `${paper.title}${by ? `, by ${by}` : ''}. ${edition?.title ?? `iMIMIC ${paper.year}`}.`;
}

/** Highwire wants YYYY/MM/DD (or YYYY). */
function publicationDate(paper: Paper, edition: Edition | undefined): string {
	return edition?.date ? edition.date.replace(/-/g, '/') : String(paper.year);
}

function orcidUrl(orcid: string): string {
	return orcid.startsWith('http') ? orcid : `https://orcid.org/${orcid}`;
}

/** The schema.org ScholarlyArticle describing a paper. */
export function paperJsonLd(
	paper: Paper,
	edition: Edition | undefined,
	origin: string
): Record<string, unknown> {
	const url = paperUrl(origin, paper.id);
	const pages = firstAndLastPage(paper.pages);
	const pdfUrl = paperPdfUrl(paper, origin);
	const sameAs = [
		paper.doi ? `https://doi.org/${paper.doi}` : null,
		paper.arxiv ? `https://arxiv.org/abs/${paper.arxiv}` : null,
		paper.url
	].filter((value): value is string => Boolean(value));
	const identifiers = [
		paper.doi ? { '@type': 'PropertyValue', propertyID: 'DOI', value: paper.doi } : null,
		paper.arxiv ? { '@type': 'PropertyValue', propertyID: 'arXiv', value: paper.arxiv } : null
	].filter(Boolean);
	const article: Record<string, unknown> = {
		'@context': 'https://schema.org',
		'@type': 'ScholarlyArticle',
		'@id': url,
		url,
		headline: shorten(paper.title, 110),
		name: paper.title,
		author: paper.authors.map((author) => {
			const parts = splitName(author.name);
			return {
				'@type': 'Person',
				name: author.name,
				...(parts.given ? { givenName: parts.given } : {}),
				familyName: parts.family,
				...(author.affiliation
					? { affiliation: { '@type': 'Organization', name: author.affiliation } }
					: {}),
				...(author.orcid ? { sameAs: orcidUrl(author.orcid) } : {})
			};
		}),
		datePublished: edition?.date ?? String(paper.year),
		inLanguage: 'en'
	};
	if (paper.abstract) article.abstract = paper.abstract;
	if (paper.keywords.length) article.keywords = paper.keywords.join(', ');
	const topics = paper.topics.map((topic) => topic.label);
	if (topics.length) article.about = topics.map((name) => ({ '@type': 'Thing', name }));
	if (identifiers.length) article.identifier = identifiers;
	if (sameAs.length) article.sameAs = sameAs;
	if (pages) {
		article.pageStart = pages[0];
		if (pages[1]) article.pageEnd = pages[1];
	}
	if (paper.award) article.award = paper.award;
	if (paper.license) article.license = paper.license;
	if (pdfUrl) {
		article.encoding = {
			'@type': 'MediaObject',
			encodingFormat: 'application/pdf',
			contentUrl: pdfUrl
		};
	}
	if (edition) {
		const book: Record<string, unknown> = {
			'@type': 'Book',
			name: edition.title,
			url: `${origin}/editions/${encodeURIComponent(edition.id)}`
		};
		if (edition.doi) {
			book.identifier = { '@type': 'PropertyValue', propertyID: 'DOI', value: edition.doi };
			book.sameAs = `https://doi.org/${edition.doi}`;
		}
		if (edition.editors?.length) {
			book.editor = edition.editors.map((name) => ({ '@type': 'Person', name }));
		}
		if (edition.series) {
			book.isPartOf = {
				'@type': 'BookSeries',
				name: edition.series,
				...(edition.volume !== undefined ? { volumeNumber: String(edition.volume) } : {})
			};
		}
		article.isPartOf = book;
		const event: Record<string, unknown> = { '@type': 'Event', name: edition.title };
		if (edition.date) event.startDate = edition.date;
		if (edition.location) event.location = { '@type': 'Place', name: edition.location };
		article.recordedAt = event;
	}
	return article;
}

/** Every head item of a paper page. `origin` is the configured public origin (server/origin.ts). */
export function buildPaperHead(
	paper: Paper,
	edition: Edition | undefined,
	origin: string
): PaperHeadData {
	const canonical = paperUrl(origin, paper.id);
	const description = paperDescription(paper, edition);
	const meta: MetaTag[] = [];
	const name = (tag: string, content: string | number | null | undefined) => {
		if (content !== null && content !== undefined && content !== '')
			meta.push({ name: tag, content: String(content) });
	};
	const property = (tag: string, content: string | null | undefined) => {
		if (content) meta.push({ property: tag, content });
	};

	name('description', description);
	name('citation_title', paper.title);
	for (const author of paper.authors) {
		name('citation_author', author.name);
		// Highwire ties institution and ORCID to the citation_author just before them.
		name('citation_author_institution', author.affiliation);
		if (author.orcid) name('citation_author_orcid', orcidUrl(author.orcid));
	}
	name('citation_publication_date', publicationDate(paper, edition));
	name('citation_conference_title', edition?.title ?? `iMIMIC ${paper.year}`);
	name('citation_series_title', edition?.series);
	name('citation_volume', edition?.volume);
	name('citation_doi', paper.doi);
	name('citation_arxiv_id', paper.arxiv);
	const pages = firstAndLastPage(paper.pages);
	if (pages) {
		name('citation_firstpage', pages[0]);
		name('citation_lastpage', pages[1]);
	}
	name('citation_pdf_url', paperPdfUrl(paper, origin));
	name('citation_abstract_html_url', canonical);
	if (paper.keywords.length) name('citation_keywords', paper.keywords.join('; '));
	name('citation_language', 'en');

	property('og:type', 'article');
	property('og:site_name', 'Glassbox — iMIMIC proceedings');
	property('og:title', paper.title);
	property('og:description', description);
	property('og:url', canonical);
	property('article:published_time', edition?.date ?? String(paper.year));
	for (const author of paper.authors) property('article:author', author.name);
	for (const topic of paper.topics) property('article:tag', topic.label);
	name('twitter:card', 'summary');

	return {
		title: paper.title,
		description,
		canonical,
		meta,
		jsonLd: paperJsonLd(paper, edition, origin)
	};
}

/** JSON for a <script type="application/ld+json">: `<` escaped so no text can close the tag. */
export function serializeJsonLd(data: unknown): string {
	return JSON.stringify(data)
		.replace(/</g, '\\u003c')
		.replace(/\u2028/g, '\\u2028')
		.replace(/\u2029/g, '\\u2029');
}
