/**
 * Judged queries over a generated corpus, for machines without ../shared/corpus: each query's
 * answer is known by construction (a paper's own title words, its author, a typo of its title
 * word, a phrase copied from its text, a rare word graded by how often papers use it).
 */
import type { Catalog, PageDocument } from '../../src/lib/types.ts';
import type { JudgedQuery } from '../../tests/relevance/relevance.ts';
import { seededRandom } from '../../tests/fixtures/synthetic-text.ts';
import { syntheticCorpus } from './search-corpus.ts';

export function generatedJudgedCorpus(papers = 150): {
	catalog: Catalog;
	docs: PageDocument[];
	queries: JudgedQuery[];
} {
	const { catalog, docs, vocabulary } = syntheticCorpus({
		papers,
		wordsPerPaper: 1500,
		wordsPerPage: 300,
		seed: 11
	});
	const random = seededRandom(99);
	const textOf = new Map<string, string>();
	for (const doc of docs)
		textOf.set(
			doc.paperId,
			`${textOf.get(doc.paperId) ?? ''} ${doc.title} ${doc.abstract} ${doc.body}`.toLowerCase()
		);
	const queries: JudgedQuery[] = [];
	const pick = () => catalog.papers[Math.floor(random() * catalog.papers.length)];
	const longest = (title: string) =>
		title
			.split(' ')
			.sort((a, b) => b.length - a.length)[0]
			.toLowerCase();
	for (let i = 0; i < 10; i++) {
		const paper = pick();
		const words = paper.title.split(' ');
		queries.push({
			q: words.slice(0, 4).join(' '),
			kind: 'known-item',
			relevant: { [paper.id]: 2 }
		});
	}
	for (let i = 0; i < 8; i++) {
		const paper = pick();
		queries.push({
			q: paper.authors[0].name.split(' ')[1],
			kind: 'author',
			relevant: { [paper.id]: 2 }
		});
	}
	for (let i = 0; i < 8; i++) {
		const paper = pick();
		const word = longest(paper.title);
		if (word.length < 6) continue;
		const at = 2 + Math.floor(random() * (word.length - 3));
		const typo = word.slice(0, at) + word.slice(at + 1);
		queries.push({
			q: `${typo} ${paper.title
				.split(' ')
				.filter((w) => w.toLowerCase() !== word)
				.slice(0, 2)
				.join(' ')}`,
			kind: 'typo',
			relevant: { [paper.id]: 2 }
		});
	}
	for (let i = 0; i < 8; i++) {
		const doc = docs[1 + Math.floor(random() * (docs.length - 1))];
		if (!doc.body) continue;
		const words = doc.body.toLowerCase().replace(/[.,]/g, '').split(' ');
		const start = Math.floor(random() * (words.length - 3));
		const phrase = words.slice(start, start + 3).join(' ');
		const relevant: Record<string, number> = {};
		for (const [id, text] of textOf)
			if (text.replace(/[.,]/g, '').includes(` ${phrase} `)) relevant[id] = 2;
		queries.push({ q: `"${phrase}"`, kind: 'phrase', relevant });
	}
	for (let i = 0; i < 8; i++) {
		const word = vocabulary.words[3000 + Math.floor(random() * 3000)];
		const relevant: Record<string, number> = {};
		for (const [id, text] of textOf) {
			const count = text.split(/[^a-z]+/).filter((w) => w === word).length;
			if (count > 0) relevant[id] = count >= 2 ? 2 : 1;
		}
		if (Object.keys(relevant).length) queries.push({ q: word, kind: 'topic', relevant });
	}
	return { catalog, docs, queries };
}
