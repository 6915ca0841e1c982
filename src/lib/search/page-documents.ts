/** What the index holds per paper: the documents the ingest builds and the tests index alike. */
import type { PageDocument, Paper } from '../types.ts';
import { hasIndexTerm } from '../text/normalise.ts';
import { findReferences, referenceRangeOn } from '../corpus/references.ts';

/** Every name a paper's authors go by: each name, then its aliases. */
export function authorNames(paper: Paper): string[] {
	return paper.authors.flatMap((author) => [author.name, ...(author.aliases ?? [])]);
}

/**
 * A paper's page documents: page 0 carries its metadata (authors with their aliases) and an
 * empty body; pages 1..n the PDF text of each page, except pages without a word to index, with
 * the part of it in the reference list.
 */
export function pageDocuments(paper: Paper, pages: string[]): PageDocument[] {
	const common = {
		paperId: paper.id,
		title: paper.title,
		authors: authorNames(paper).join('; '),
		keywords: paper.keywords.join('; '),
		topics: paper.topics.map((topic) => topic.label).join('; ')
	};
	const docs: PageDocument[] = [
		{ ...common, id: `${paper.id}#0`, page: 0, abstract: paper.abstract ?? '', body: '' }
	];
	const references = findReferences(pages);
	pages.forEach((body, index) => {
		if (!hasIndexTerm(body)) return;
		const doc: PageDocument = {
			...common,
			id: `${paper.id}#${index + 1}`,
			page: index + 1,
			abstract: '',
			body
		};
		const range = referenceRangeOn(references, index, body.length);
		if (range) doc.references = range;
		docs.push(doc);
	});
	return docs;
}
