/** Hand-made corpora for the search tests: small catalogs whose right answers are obvious. */
import { makePaper as makeCatalogPaper } from '../fixtures/paper.ts';
import { makeCatalog } from '../fixtures/catalog.ts';
import type { Catalog, PageDocument, Paper, PaperTopic, Taxonomy } from '../../src/lib/types.ts';
import { SearchEngine } from '../../src/lib/search/engine.ts';
import { pageDocuments } from '../../src/lib/search/page-documents.ts';

export interface PaperSpec {
	id: string;
	title: string;
	authors?: string[];
	year?: number;
	edition?: string;
	type?: Paper['type'];
	award?: string;
	abstract?: string;
	keywords?: string[];
	topics?: { id: string; facet?: 'topic' | 'method' }[];
	/** One string per PDF page. */
	pages?: string[];
}

export const TAXONOMY: Taxonomy = {
	topics: [
		{ id: 'uncertainty', label: 'Uncertainty', facet: 'topic', description: '', terms: [] },
		{ id: 'visualization', label: 'Visualization', facet: 'topic', description: '', terms: [] },
		{ id: 'evaluation', label: 'Evaluation', facet: 'topic', description: '', terms: [] },
		{ id: 'grad-cam', label: 'Grad-CAM', facet: 'method', description: '', terms: [] },
		{ id: 'prototypes', label: 'Prototypes', facet: 'method', description: '', terms: [] }
	],
	synonyms: [
		['saliency map', 'heatmap', 'attribution map'],
		['Grad-CAM', 'class activation map'],
		['uncertainty', 'calibration'],
		['prototype', 'case-based']
	],
	threshold: 1
};

export function makePaper(spec: PaperSpec): Paper {
	const year = spec.year ?? 2025;
	const topics: PaperTopic[] = (spec.topics ?? []).map(({ id, facet }) => ({
		id,
		label: TAXONOMY.topics.find((topic) => topic.id === id)?.label ?? id,
		facet: facet ?? TAXONOMY.topics.find((topic) => topic.id === id)?.facet ?? 'topic',
		source: 'curated',
		score: 1,
		evidence: []
	}));
	return makeCatalogPaper({
		id: spec.id,
		edition: spec.edition ?? `imimic-${year}`,
		year,
		title: spec.title,
		authors: (spec.authors ?? ['Ada Example']).map((name) => ({ name })),
		type: spec.type ?? null,
		award: spec.award ?? null,
		abstract: spec.abstract ?? null,
		abstractSource: spec.abstract ? 'curated' : null,
		keywords: spec.keywords ?? [],
		topics,
		pdf: spec.pages
			? { sha256: spec.id, bytes: 1, pageCount: spec.pages.length, origin: 'local' }
			: null,
		file: `${spec.edition ?? year}/${spec.id}.yaml`
	});
}

export function makeCorpus(specs: PaperSpec[]): { catalog: Catalog; docs: PageDocument[] } {
	const papers = specs.map(makePaper);
	const years = [...new Set(papers.map((paper) => paper.year))].sort((a, b) => b - a);
	const catalog = makeCatalog(papers, {
		builtAt: '2025-01-01T00:00:00Z',
		editions: [...new Set(papers.map((paper) => paper.edition))].map((id) => ({
			id,
			title: id,
			year: papers.find((paper) => paper.edition === id)!.year,
			complete: true
		})),
		taxonomy: TAXONOMY
	});
	void years;
	const docs = papers.flatMap((paper, index) => pageDocuments(paper, specs[index].pages ?? []));
	return { catalog, docs };
}

export function makeEngine(specs: PaperSpec[]): SearchEngine {
	const { catalog, docs } = makeCorpus(specs);
	return SearchEngine.fromDocuments(docs, catalog);
}

/** Filler text that matches nothing the tests search for. */
export function filler(words: number, seed = 1): string {
	const pool = [
		'patient',
		'scan',
		'cohort',
		'result',
		'table',
		'figure',
		'dataset',
		'training',
		'network',
		'layer',
		'volume',
		'slice'
	];
	let state = seed;
	const out: string[] = [];
	for (let i = 0; i < words; i++) {
		state = (state * 1103515245 + 12345) % 2147483648;
		out.push(pool[state % pool.length]);
	}
	return out.join(' ');
}
