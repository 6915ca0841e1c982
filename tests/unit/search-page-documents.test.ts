import { describe, expect, it } from 'vitest';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { pageDocuments } from '../../src/lib/search/page-documents.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { indexTerms } from '../../src/lib/text/normalise.ts';
import { filler, makeCorpus, makePaper } from './search-fixtures.ts';

describe('pageDocuments', () => {
	const paper = {
		...makePaper({ id: 'aliased', title: 'Prototype networks', pages: [] }),
		authors: [{ name: 'Zofia Kowalska', aliases: ['Zofia Nowak'] }]
	};
	const pages = [filler(50, 1), '  \n ', filler(40, 2) + ' lungworm'];

	it('makes page 0 the metadata and skips pages without a word, keeping page numbers', () => {
		const docs = pageDocuments(paper, pages);
		expect(docs.map((doc) => doc.page)).toEqual([0, 1, 3]);
		expect(docs[0].body).toBe('');
		expect(docs[2].body).toContain('lungworm');
	});

	it('skips a page of stop words and punctuation only, but keeps one with a compound of them', () => {
		const docs = pageDocuments(paper, ['The, and of it — 12', 'of the — and', 'a-the', '— 1 —']);
		const indexed = docs.filter((doc) => doc.page > 0);
		// "12" and "1" are terms (digits are words), "a-the" gives its joined term "athe".
		expect(indexed.map((doc) => doc.page)).toEqual([1, 3, 4]);
		for (const doc of indexed) expect(indexTerms(doc.body).length).toBeGreaterThan(0);
		expect(indexTerms('of the — and')).toEqual([]);
	});

	it('lets a search for an author alias find the paper, and a page hit name its page', () => {
		const { catalog } = makeCorpus([]);
		const engine = SearchEngine.fromDocuments(pageDocuments(paper, pages), {
			...catalog,
			papers: [paper]
		});
		expect(engine.search(searchParams({ q: 'nowak' })).hits.map((hit) => hit.id)).toEqual([
			'aliased'
		]);
		expect(engine.search(searchParams({ q: 'lungworm' })).hits[0]?.pages).toEqual([3]);
	});
});
