import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngestCli } from '../../scripts/ingest/run-cli.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { readIndexData } from '../../src/lib/server/search-storage.ts';
import type { Catalog } from '../../src/lib/types.ts';
import {
	findInPage,
	INDEX_LIKE,
	type PreparedPage
} from '../../src/lib/components/reader/match.ts';
import { findUnitsOfQuery } from '../../src/lib/components/reader/query.ts';
import { searchParams } from '../../src/lib/search/params.ts';
import { highlightOfSpec } from '../../src/lib/text/match-ranges.ts';
import {
	compareHighlights,
	pageTextsOf,
	readerPagesOfPdf,
	snippetMarks
} from '../fixtures/highlight-agreement.ts';
import {
	SHARED_CORPUS,
	hasSharedCorpus,
	makeSharedCorpusPapersDir
} from '../fixtures/shared-corpus.ts';

const PAPERS = [
	'wang-2020-covid-net',
	'jin-2022-evaluating-xai-multimodal',
	'graziani-2018-regression-concept-vectors',
	'sinha-mrdataset-joss'
];

/** A seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
	return () => {
		seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
		return seed / 2 ** 32;
	};
}

if (!hasSharedCorpus) console.warn('match-agreement: ../shared/corpus is absent; skipped');

describe.skipIf(!hasSharedCorpus)('snippet marks and reader highlights on real papers', () => {
	let engine: SearchEngine;
	let engineText: (paperId: string, page: number) => string;
	const readerPages = new Map<string, PreparedPage[]>();

	beforeAll(async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-match-'));
		const result = runIngestCli(makeSharedCorpusPapersDir({ only: PAPERS }), dataDir);
		if (result.status === 1) throw new Error(`ingest failed:\n${result.output}`);
		const build = join(dataDir, 'builds', readFileSync(join(dataDir, 'current'), 'utf8').trim());
		const catalog = JSON.parse(readFileSync(join(build, 'catalog.json'), 'utf8')) as Catalog;
		const data = await readIndexData(join(build, 'search'));
		engine = new SearchEngine(data, catalog);
		engineText = pageTextsOf(data);
		for (const id of PAPERS)
			readerPages.set(id, await readerPagesOfPdf(join(SHARED_CORPUS, 'pdf', `${id}.pdf`)));
	}, 300_000);

	/** What the reader marks on a PDF page (its text layer) for a deep link's query. */
	function readerMarksOf(query: string, paper: string, page: number): string[] {
		const spec = engine.matchSpec(query, paper)!;
		const prepared = readerPages.get(paper)![page - 1];
		return findInPage(prepared, findUnitsOfQuery(query), INDEX_LIKE, highlightOfSpec(spec)).map(
			(match) => prepared.pageText.text.slice(match.start, match.end).toLowerCase()
		);
	}

	/** What the snippets of a query's hits mark, and the reader on those pages of the PDFs. */
	function marksOfHits(query: string): { snippets: string[]; reader: string[] } {
		const response = engine.search(searchParams({ q: query, limit: 10 }));
		const snippets: string[] = [];
		const reader: string[] = [];
		for (const hit of response.hits) {
			for (const snippet of hit.snippets) {
				const { text, marks } = snippetMarks(snippet.text);
				snippets.push(...marks.map(([from, to]) => text.slice(from, to).toLowerCase()));
				if (snippet.page > 0) reader.push(...readerMarksOf(query, hit.id, snippet.page));
			}
		}
		return { snippets, reader };
	}

	it('marks "Explainability" on COVID-Net p. 5 for the typos "saliancy explainabilty"', () => {
		expect(readerMarksOf('saliancy explainabilty', 'wang-2020-covid-net', 5)).toContain(
			'explainability'
		);
	});

	it('marks the synonyms of "xai" (explainable AI and its kin), as the snippets do', () => {
		const { snippets, reader } = marksOfHits('xai');
		const synonyms = new Set(snippets.filter((mark) => mark !== 'xai'));
		expect(synonyms.size).toBeGreaterThan(0);
		for (const form of synonyms) expect(reader).toContain(form);
	});

	it('marks heatmaps and attribution maps for "saliency maps", as the snippets do', () => {
		const { snippets, reader } = marksOfHits('saliency maps');
		const beyondTyped = (marks: string[]) =>
			new Set(marks.filter((mark) => !/^(saliency|maps?)$/.test(mark)));
		expect(beyondTyped(snippets).size).toBeGreaterThan(0);
		for (const form of beyondTyped(snippets)) expect(beyondTyped(reader)).toContain(form);
	});

	it('agrees with every snippet on random queries: words, typos, prefixes and phrases', () => {
		const next = random(13);
		const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)];
		const queries: string[] = [];
		while (queries.length < 40) {
			const pages = readerPages.get(pick(PAPERS))!;
			const words = pages[Math.floor(next() * pages.length)].pageText.text.match(
				/\p{L}{4,}(?:\s+\p{L}{3,})?/gu
			);
			if (!words?.length) continue;
			const found = pick(words);
			const [first, second] = found.split(/\s+/);
			const kind = queries.length % 4;
			if (kind === 0) queries.push(first);
			else if (kind === 1 && first.length > 5)
				queries.push(`${first.slice(0, 2)}${first.slice(3)}`); // a letter dropped: a typo
			else if (kind === 2 && second) queries.push(`"${first} ${second}"`);
			else queries.push(second ? `${first} ${second}` : first);
		}
		// Words of reference lists that once disagreed: snippets there must mark what the reader does.
		queries.push('Raamana', 'process', 'program', 'proceedings');
		const results = queries.flatMap((query) => compareHighlights(engine, query, engineText));
		expect(results.length).toBeGreaterThan(40);
		// Snippets cut from reference lists are compared too, not only the body's.
		expect(results.some((result) => result.inReferences)).toBe(true);
		expect(results.filter((result) => !result.agrees)).toEqual([]);
	}, 120_000);
});
