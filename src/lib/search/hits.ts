/**
 * The hits of a result page: each paper with the pages that matched, best first, and snippets
 * of those pages marked with the query's matched terms and phrases.
 */
import type { Paper, SearchHit } from '../types.ts';
import { canServePdf } from '../pdf-access.ts';
import { WORK_COSTS, type WorkBudget } from './budget.ts';
import { postingAtOrAfter, type IndexData } from './index-data.ts';
import type { PageTexts } from './page-texts.ts';
import type { PhraseChecker } from './phrase-check.ts';
import type { CompiledClause, ScoreNode } from './score-nodes.ts';
import type { Highlight } from '../text/match-ranges.ts';
import type { Phrase } from '../text/phrase.ts';
import { buildSnippets, type SnippetSource } from './snippets.ts';
import { REFERENCE_WEIGHT } from './scoring.ts';
import type { BodyVocabulary } from './vocabulary.ts';

export class HitBuilder {
	readonly #data: IndexData;
	readonly #papers: (Paper | undefined)[];
	readonly #body: BodyVocabulary;
	readonly #pages: PageTexts;
	readonly #phrases: PhraseChecker;
	readonly #budget: WorkBudget;

	constructor(
		data: IndexData,
		papers: (Paper | undefined)[],
		body: BodyVocabulary,
		pages: PageTexts,
		phrases: PhraseChecker,
		budget: WorkBudget
	) {
		this.#data = data;
		this.#budget = budget;
		this.#papers = papers;
		this.#body = body;
		this.#pages = pages;
		this.#phrases = phrases;
	}

	/** What to mark in snippets: every matched term, and the phrases. */
	highlight(clauses: CompiledClause[]): Highlight {
		const terms = new Map<string, number>();
		const phrases: Phrase[] = [];
		const visit = (node: ScoreNode, weight: number) => {
			switch (node.kind) {
				case 'terms':
					// `author:hamarneh` matched the author list: the same word in a page (a bibliography) is
					// not what was asked for.
					if (node.field !== null && node.field !== 'body') break;
					for (const variant of node.variants) {
						const term = this.#body.term(variant.termId);
						terms.set(term, Math.max(terms.get(term) ?? 0, weight * variant.weight));
					}
					for (const [term, termWeight] of node.metadata?.matched ?? []) {
						terms.set(term, Math.max(terms.get(term) ?? 0, weight * termWeight));
					}
					break;
				case 'phrase':
					phrases.push(node.phrase);
					break;
				case 'best':
					for (const child of node.children) visit(child.node, weight * child.weight);
					break;
				default:
					for (const child of node.children) visit(child, weight);
			}
		};
		for (const clause of clauses) visit(clause.node, 1);
		return { terms, phrases };
	}

	/** The hit for paper `p`, with its score, matched pages and snippets. */
	hit(
		p: number,
		score: number,
		clauses: CompiledClause[],
		highlight: Highlight,
		inReferences: boolean
	): SearchHit {
		const paper = this.#papers[p]!;
		const termsOnPage = new Map<number, Map<string, number>>();
		const pagesMatchedOutside = new Set<number>();
		const pageScores = this.#pageScores(p, clauses, highlight, termsOnPage, pagesMatchedOutside);
		const pages = [...pageScores.keys()].sort((a, b) => a - b);
		const bestPages = [...pageScores.entries()]
			.sort((a, b) => b[1] - a[1] || a[0] - b[0])
			.slice(0, 3)
			.map(([page]) => page);
		const start = this.#data.paperDocStart[p];
		const end = this.#data.paperDocStart[p + 1];
		// A page's snippet is cut from its own text when it matched there, not from its references;
		// what is marked is the same either way (every match of the page, as the reader marks it).
		const textOf = (page: number): SnippetSource & { inReferences: boolean } => {
			for (let doc = start; doc < end; doc++) {
				if (this.#data.docPage[doc] !== page) continue;
				const text = this.#pages.text(doc);
				const haystack = this.#pages.haystack(doc, text);
				const from = this.#data.docReferences[doc * 2];
				const to = this.#data.docReferences[doc * 2 + 1];
				if (to <= from) return { page, text, haystack, inReferences: false };
				if (!pagesMatchedOutside.has(page))
					return { page, text, haystack, stretches: [[from, to]], inReferences: true };
				const body: [number, number][] = [
					[0, from],
					[to, text.length]
				];
				const stretches = body.filter(([a, b]) => b > a);
				return { page, text, haystack, stretches, inReferences: false };
			}
			return { page, text: '', inReferences: false };
		};
		// Each page is marked with the matched terms it holds (known from the postings), so the
		// snippet builder does not look for dozens of prefix and typo expansions on every page.
		const sources = bestPages.map((page) => ({
			...textOf(page),
			highlight: { terms: termsOnPage.get(page) ?? new Map(), phrases: highlight.phrases }
		}));
		if (sources.length === 0 && paper.abstract)
			sources.push({ page: 0, text: paper.abstract, inReferences: false, highlight });
		// Past the budget, a hit keeps the snippets it could pay for (its best pages first).
		const paid = sources.filter((source) =>
			this.#budget.spend(
				(source.highlight.terms.size + source.highlight.phrases.length) * WORK_COSTS.snippetTerm
			)
		);
		return {
			id: paper.id,
			title: paper.title,
			authors: paper.authors.map((author) => author.name),
			edition: paper.edition,
			year: paper.year,
			type: paper.type,
			award: paper.award,
			topics: paper.topics,
			score: Math.round(score * 1000) / 1000,
			pages,
			snippets:
				highlight.terms.size || highlight.phrases.length
					? paid.flatMap((source) =>
							buildSnippets([source], source.highlight).map((snippet) =>
								source.inReferences ? { ...snippet, inReferences: true } : snippet
							)
						)
					: [],
			inReferences,
			url: `/papers/${encodeURIComponent(paper.id)}`,
			pdf: canServePdf(paper) ? `/papers/${encodeURIComponent(paper.id)}/pdf` : null
		};
	}

	/** Index of the first posting of `termId` in document `start` or later (postings are sorted). */
	/**
	 * Whether one of `terms` is on page `page` of paper `p` outside its reference list: a phrase
	 * cited only there is snippeted from the references, as its paper says "in references".
	 */
	#wordsOutsideReferences(terms: string[], p: number, page: number): boolean {
		const data = this.#data;
		const doc = this.#pages.docOf(p, page);
		if (doc < 0 || data.docReferences[doc * 2 + 1] <= data.docReferences[doc * 2]) return true;
		for (const term of terms) {
			const termId = this.#body.termId(term);
			if (termId < 0) continue;
			const i = this.#firstPostingFrom(termId, doc);
			if (i < data.termOffsets[termId + 1] && data.postingDoc[i] === doc) {
				if (data.postingTf[i] > data.postingReferenceTf[i]) return true;
			}
		}
		return false;
	}

	#firstPostingFrom(termId: number, start: number): number {
		const { postingDoc, termOffsets } = this.#data;
		return postingAtOrAfter(postingDoc, termOffsets[termId], termOffsets[termId + 1], start);
	}

	/** The highlight of paper `p`: the matched terms its pages hold, and the phrases. */
	highlightInPaper(p: number, highlight: Highlight): Highlight {
		const data = this.#data;
		const start = data.paperDocStart[p];
		const end = data.paperDocStart[p + 1];
		const terms = new Map<string, number>();
		for (const [term, weight] of highlight.terms) {
			const termId = this.#body.termId(term);
			if (termId < 0) continue;
			const low = this.#firstPostingFrom(termId, start);
			if (low < data.termOffsets[termId + 1] && data.postingDoc[low] < end) terms.set(term, weight);
		}
		return { terms, phrases: highlight.phrases };
	}

	/** Pages (≥ 1) of paper `p` that matched, with how well, from the postings of matched terms. */
	#pageScores(
		p: number,
		clauses: CompiledClause[],
		highlight: Highlight,
		termsOnPage: Map<number, Map<string, number>>,
		pagesMatchedOutside: Set<number>
	): Map<number, number> {
		const data = this.#data;
		const start = data.paperDocStart[p];
		const end = data.paperDocStart[p + 1];
		const scores = new Map<number, number>();
		// Pages holding a phrase, with the weight of the phrase (a synonym's is lower).
		const phrasePages = new Map<number, number>();
		/** Phrase pages where its words are outside the reference list, as the scorer counts them. */
		const phrasePagesOutside = new Set<number>();
		let hasPhrase = false;
		const collect = (node: ScoreNode, weight: number) => {
			if (node.kind === 'phrase') {
				hasPhrase = true;
				if (!node.papers.has(p)) return;
				for (const page of this.#phrases.pages(node, p)) {
					phrasePages.set(page, Math.max(phrasePages.get(page) ?? 0, weight));
					if (this.#wordsOutsideReferences(node.terms, p, page)) phrasePagesOutside.add(page);
				}
			} else if (node.kind === 'best')
				node.children.forEach((child) => collect(child.node, weight * child.weight));
			else if (node.kind !== 'terms') node.children.forEach((child) => collect(child, weight));
		};
		clauses.forEach((clause) => collect(clause.node, 1));
		for (const [term, weight] of highlight.terms) {
			const termId = this.#body.termId(term);
			if (termId < 0) continue;
			const low = this.#firstPostingFrom(termId, start);
			for (let i = low; i < data.termOffsets[termId + 1] && data.postingDoc[i] < end; i++) {
				this.#budget.charge(WORK_COSTS.posting);
				const doc = data.postingDoc[i];
				const page = data.docPage[doc];
				if (page === 0) continue;
				const inReferences = data.postingReferenceTf[i];
				const outside = data.postingTf[i] - inReferences;
				const tf = outside + REFERENCE_WEIGHT * inReferences;
				if (outside > 0) pagesMatchedOutside.add(page);
				let onPage = termsOnPage.get(page);
				if (!onPage) termsOnPage.set(page, (onPage = new Map()));
				onPage.set(term, weight);
				scores.set(page, (scores.get(page) ?? 0) + (weight * tf) / (tf + 1));
			}
		}
		if (hasPhrase) {
			for (const [page, weight] of phrasePages) {
				scores.set(page, (scores.get(page) ?? 0) + 10 * weight);
				if (phrasePagesOutside.has(page)) pagesMatchedOutside.add(page);
			}
			// With only phrases typed, a page that merely holds the words did not match.
			if (clauses.every((clause) => isPhraseOnly(clause.node))) {
				for (const page of [...scores.keys()]) if (!phrasePages.has(page)) scores.delete(page);
			}
		}
		return scores;
	}
}

/** A quoted phrase, or the spellings of one (`piece-wise linear`, `piecewise linear`). */
function isPhraseOnly(node: ScoreNode): boolean {
	return (
		node.kind === 'phrase' ||
		(node.kind === 'best' && node.children.every((child) => child.node.kind === 'phrase'))
	);
}
