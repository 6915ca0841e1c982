import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatIssue, readCorpus, type CorpusReadResult } from '../../src/lib/corpus/index.ts';

const PAPERS = resolve(import.meta.dirname, '../../papers');

describe('the shipped papers/ catalog', () => {
	let corpus: CorpusReadResult;
	beforeAll(async () => {
		corpus = await readCorpus(PAPERS);
	});

	it('validates without a single issue', () => {
		expect(corpus.issues.map(formatIssue)).toEqual([]);
		expect(corpus.taxonomy).not.toBeNull();
	});

	it('has every iMIMIC edition from 2018 to 2025, each marked partial with a note', () => {
		expect(corpus.editions.map((edition) => edition.id)).toEqual(
			[2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018].map((year) => `imimic-${year}`)
		);
		for (const edition of corpus.editions) {
			expect(edition.year).toBe(Number(edition.id.slice(-4)));
			expect(edition.complete).toBe(false);
			expect(edition.notes).toBeTruthy();
		}
		const e2025 = corpus.editions[0];
		expect(e2025).toMatchObject({ date: '2025-09-27', doi: '10.1007/978-3-032-17611-0' });
		expect(e2025.notes).toMatch(/poster/);
	});

	it('lists the 2025 programme: the keynote, eight orals and the best paper', () => {
		const of2025 = corpus.papers.filter((paper) => paper.edition === 'imimic-2025');
		const keynotes = of2025.filter((paper) => paper.type === 'keynote');
		expect(keynotes).toHaveLength(1);
		expect(keynotes[0].authors).toEqual([{ name: 'Jaesik Choi', affiliation: 'KAIST' }]);
		expect(of2025.filter((paper) => paper.type === 'oral')).toHaveLength(8);
		const awarded = corpus.papers.filter((paper) => paper.award && paper.edition === 'imimic-2025');
		expect(awarded.map((paper) => paper.id)).toEqual(['ghamary-protoefnet-2025']);
		expect(awarded[0].title).toMatch(/^ProtoEFNet: /);
	});

	it('uses the published spelling of names and keeps the workshop page spelling as an alias', () => {
		const firstAuthor = (id: string) => corpus.papers.find((paper) => paper.id === id)?.authors[0];
		expect(firstAuthor('ghamary-protoefnet-2025')).toEqual({
			name: 'Yeganeh Ghamary',
			aliases: ['Yaganeh Ghamary']
		});
		expect(firstAuthor('gowda-masked-vision-language-2025')).toEqual({
			name: 'Shreyank N. Gowda',
			aliases: ['Shreyank Gowda']
		});
	});

	it('ships facts only: no abstracts, a source for every paper', () => {
		for (const paper of corpus.papers) {
			expect(paper.abstract, paper.file).toBeUndefined();
			expect(paper.sources?.length, paper.file).toBeGreaterThan(0);
		}
		const identified = corpus.papers.filter((paper) => paper.doi || paper.arxiv);
		expect(identified.length).toBeGreaterThanOrEqual(15);
	});

	it('gives every paper a type and at least one curated workshop topic, so /topics is never empty', () => {
		const facetOf = new Map(corpus.taxonomy!.topics.map((topic) => [topic.id, topic.facet]));
		for (const paper of corpus.papers) {
			expect(paper.type, paper.file).toBeDefined();
			const workshopTopics = (paper.topics ?? []).filter((id) => facetOf.get(id) === 'topic');
			expect(workshopTopics.length, paper.file).toBeGreaterThan(0);
		}
	});

	it('says in every partial edition which known papers are missing or that the rest is', () => {
		for (const edition of corpus.editions.filter((e) => !e.complete)) {
			expect(edition.notes, edition.id).toMatch(/missing/i);
		}
	});

	it('has every workshop topic and method in the taxonomy', () => {
		const ids = (facet: string) =>
			corpus.taxonomy!.topics.filter((topic) => topic.facet === facet).map((topic) => topic.id);
		expect(ids('topic').sort()).toEqual(
			[
				'definition',
				'global-explanations',
				'local-explanations',
				'visualization',
				'multimodal',
				'causal',
				'transparency',
				'textual-explanations',
				'uncertainty',
				'evaluation',
				'regulation'
			].sort()
		);
		expect(ids('method')).toEqual(
			expect.arrayContaining([
				'grad-cam',
				'cam',
				'shap',
				'lime',
				'integrated-gradients',
				'lrp',
				'attention',
				'prototypes',
				'concepts',
				'counterfactuals',
				'saliency',
				'vision-language'
			])
		);
	});

	it('keeps one YAML per paper whose stem is its id (no stray files)', () => {
		const yamlFiles = readdirSync(PAPERS, { recursive: true, encoding: 'utf8' }).filter(
			(path) => path.endsWith('.yaml') && !/(^|\/)(edition|taxonomy)\.yaml$/.test(path)
		);
		expect(yamlFiles.length).toBe(corpus.papers.length);
		for (const path of yamlFiles) {
			expect(parse(readFileSync(join(PAPERS, path), 'utf8'))).toHaveProperty('title');
		}
	});
});
