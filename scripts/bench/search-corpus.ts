/**
 * A synthetic corpus for the search benches: papers of ~6,000 words of seeded Zipf text (see
 * tests/fixtures/synthetic-text.ts) cut into pages. The same seed always gives the same corpus,
 * so benches are comparable run to run.
 */
import { makePaper } from '../../tests/fixtures/paper.ts';
import {
	sampleWord,
	seededRandom,
	sentences,
	zipfVocabulary,
	type Vocabulary
} from '../../tests/fixtures/synthetic-text.ts';
import type { Catalog, PageDocument, Paper } from '../../src/lib/types.ts';

export interface SyntheticCorpus {
	catalog: Catalog;
	docs: PageDocument[];
	/** The text of each paper's pages, by paper id (for picking phrase queries). */
	vocabulary: Vocabulary;
}

export interface CorpusOptions {
	papers: number;
	wordsPerPaper?: number;
	wordsPerPage?: number;
	vocabularySize?: number;
	seed?: number;
}

/** A synthetic catalog and its page documents, as the ingest would produce them. */
export function syntheticCorpus(options: CorpusOptions): SyntheticCorpus {
	const {
		papers: count,
		wordsPerPaper = 6000,
		wordsPerPage = 500,
		vocabularySize = 60_000,
		seed = 42
	} = options;
	const vocabulary = zipfVocabulary(vocabularySize, seed);
	const random = seededRandom(seed + 1);
	const papers: Paper[] = [];
	const docs: PageDocument[] = [];
	const years = [2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018];
	for (let i = 0; i < count; i++) {
		const year = years[i % years.length];
		const title = sentences(vocabulary, random, 6 + Math.floor(random() * 6)).replace(/[.,]/g, '');
		const abstract = sentences(vocabulary, random, 150);
		const authors = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
			const first = sampleWord(vocabulary, random);
			const last = vocabulary.words[Math.floor(random() * vocabulary.words.length)];
			return {
				name: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`
			};
		});
		const keywords = Array.from(
			{ length: 4 },
			() => vocabulary.words[200 + Math.floor(random() * 5000)]
		);
		const id = `paper-${String(i).padStart(5, '0')}`;
		const pageCount = Math.max(1, Math.round(wordsPerPaper / wordsPerPage));
		const paper: Paper = makePaper({
			id,
			edition: `edition-${year}`,
			year,
			title,
			authors,
			type: random() < 0.3 ? 'oral' : 'poster',
			award: random() < 0.02 ? 'Best paper' : null,
			abstract,
			abstractSource: 'curated',
			keywords,
			pdf: { sha256: id, bytes: 0, pageCount, origin: 'local' },
			words: wordsPerPaper
		});

		papers.push(paper);
		const common = {
			paperId: id,
			title,
			authors: authors.map((author) => author.name).join('; '),
			keywords: keywords.join('; '),
			topics: ''
		};
		docs.push({ ...common, id: `${id}#0`, page: 0, abstract, body: '' });
		for (let page = 1; page <= pageCount; page++) {
			docs.push({
				...common,
				id: `${id}#${page}`,
				page,
				abstract: '',
				body: sentences(vocabulary, random, wordsPerPage)
			});
		}
	}
	const catalog: Catalog = {
		builtAt: new Date(0).toISOString(),
		editions: years.map((year) => ({
			id: `edition-${year}`,
			title: `Edition ${year}`,
			year,
			complete: true
		})),
		papers,
		taxonomy: { topics: [], synonyms: [], threshold: 1 },
		// Search reads none of these; the benchmark does not pay for building them.
		authors: { authors: [], byPaper: {} },
		similar: {},
		map: []
	};
	return { catalog, docs, vocabulary };
}

export const CLASSES = ['single', 'multi', 'phrase', 'prefix', 'fuzzy'] as const;
export type QueryClass = (typeof CLASSES)[number];
export type Queries = Record<QueryClass, string[]>;

/** Queries of each class, drawn with a fixed seed from the corpus vocabulary and page text. */
export function makeQueries(corpus: SyntheticCorpus, perClass: number): Queries {
	const random = seededRandom(2024);
	const { vocabulary, docs } = corpus;
	// Skip the 20 most frequent words: real queries are not made of "the".
	const word = () => {
		for (;;) {
			const candidate = sampleWord(vocabulary, random);
			if (vocabulary.words.indexOf(candidate) >= 20) return candidate;
		}
	};
	const longWord = () => {
		for (;;) {
			const candidate = word();
			if (candidate.length >= 6) return candidate;
		}
	};
	const queries: Queries = { single: [], multi: [], phrase: [], prefix: [], fuzzy: [] };
	for (let i = 0; i < perClass; i++) {
		queries.single.push(word());
		queries.multi.push(Array.from({ length: 2 + Math.floor(random() * 3) }, word).join(' '));
		const pages = docs.filter((doc) => doc.body);
		const body = pages[Math.floor(random() * pages.length)].body
			.toLowerCase()
			.replace(/[.,]/g, '')
			.split(' ');
		const start = Math.floor(random() * (body.length - 3));
		queries.phrase.push(`"${body.slice(start, start + 2 + Math.floor(random() * 2)).join(' ')}"`);
		const prefixOf = longWord();
		queries.prefix.push(prefixOf.slice(0, 3 + Math.floor(random() * 3)));
		const typoOf = longWord();
		const at = 1 + Math.floor(random() * (typoOf.length - 2));
		queries.fuzzy.push(typoOf.slice(0, at) + 'q' + typoOf.slice(at + 1));
	}
	return queries;
}
