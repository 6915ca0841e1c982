/** What the index holds per paper: the documents the ingest builds and the tests index alike. */
import type { PageDocument, Paper } from '../types.ts';
import { hasIndexTerm } from '../text/normalise.ts';
import { findReferences, referenceRangeOn } from '../corpus/references.ts';
import type { BodyPage } from './index-segment.ts';

/** Every name a paper's authors go by: each name, then its aliases. */
export function authorNames(paper: Paper): string[] {
	return paper.authors.flatMap((author) => [author.name, ...(author.aliases ?? [])]);
}

/** A paper's page 0 document: its metadata (authors with their aliases) and an empty body. */
export function metadataDocument(paper: Paper): PageDocument {
	return {
		id: `${paper.id}#0`,
		paperId: paper.id,
		page: 0,
		title: paper.title,
		authors: authorNames(paper).join('; '),
		keywords: paper.keywords.join('; '),
		topics: paper.topics.map((topic) => topic.label).join('; '),
		abstract: paper.abstract ?? '',
		body: ''
	};
}

/**
 * The body pages the index holds of a PDF's page texts: pages 1..n, except pages without a
 * word to index, with the part of each in the reference list. They depend on the texts alone,
 * which is what lets the ingest keep their index segment per PDF.
 */
export function bodyPages(pages: string[]): BodyPage[] {
	const references = findReferences(pages);
	const body: BodyPage[] = [];
	pages.forEach((text, index) => {
		if (!hasIndexTerm(text)) return;
		const page: BodyPage = { page: index + 1, body: text };
		const range = referenceRangeOn(references, index, text.length);
		if (range) page.references = range;
		body.push(page);
	});
	return body;
}

/**
 * A paper's page documents: page 0 carries its metadata ({@link metadataDocument}); pages 1..n
 * the PDF text of each of its {@link bodyPages}, with the paper's title, authors and topics.
 */
export function pageDocuments(paper: Paper, pages: string[]): PageDocument[] {
	const metadata = metadataDocument(paper);
	return [
		metadata,
		...bodyPages(pages).map((page) => ({
			...metadata,
			...page,
			id: `${paper.id}#${page.page}`,
			abstract: ''
		}))
	];
}
