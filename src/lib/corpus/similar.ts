/**
 * Similar papers and the paper map, computed once at ingest from the same TF-IDF vectors:
 * cosine similarity gives each paper up to five nearest neighbours (with the terms they share),
 * and a PCA of the vectors places every paper on a 2D map. Only specific terms are evidence (a
 * term in many papers is not), and a neighbour needs a floor of similarity and of shared terms.
 *
 * Relative imports only: the ingest (tsx) calls it.
 */
import type { Catalog, MapPoint, Paper, SimilarPaper } from '../types.ts';
import { compoundParts, termsOfToken, tokenize } from '../text/normalise.ts';
import { largestEigenpairs } from './eigen.ts';
import {
	addWrittenForms,
	mergeTermLists,
	TermStrings,
	toTermList,
	type TermCounts,
	type TermList
} from './term-lists.ts';

interface SimilarityOptions {
	/** Neighbours kept per paper. */
	neighbours?: number;
	/** Shared terms reported per neighbour. */
	sharedTerms?: number;
	/** Strongest terms kept per paper; bounds the cost on long documents. */
	termsPerPaper?: number;
}

export type { TermCounts };

/** A paper's term lists: its metadata's, and its pages' (null when it has no full text). */
export interface PaperTerms {
	metadata: TermList;
	pages: TermList | null;
}

interface SimilarityResult {
	similar: Record<string, SimilarPaper[]>;
	map: MapPoint[];
}

/** A paper's TF-IDF weights by term (sparse). */
export type Vector = Map<string, number>;

/**
 * Terms that say nothing about a paper's subject, on top of the tokenizer's stop words (exported
 * for the fingerprint of kept term counts, scripts/ingest/term-cache.ts).
 */
export const GENERIC_TERMS: ReadonlySet<string> = new Set(
	(
		'paper propose proposed method approach result show shown table figure fig section ' +
		'work one two three first second new different each both other all only well between ' +
		'however further within without available given obtained can et al arxiv preprint ' +
		'springer ieee proceeding conference international journal vol pp doi http https www org ' +
		'com url lncs miccai page see also same number large small high low many much like ' +
		'example case cases approaches methods results data'
	).split(' ')
);

/** A term in more than this share of the papers is generic: it is never shared evidence. */
const MAX_DOCUMENT_SHARE = 0.25;
/** …but in a small collection a term in this many papers or fewer still counts. */
const MIN_GENERIC_DOCUMENT_FREQUENCY = 4;
/**
 * Below this cosine similarity two papers are not listed: on the shipped catalog with the shared
 * corpus, pairs under it shared statistics or survey vocabulary (p-value, t-test, designer).
 */
const MIN_SIMILARITY = 0.15;
/** A neighbour is listed only when it shares at least this many evidence terms. */
const MIN_SHARED_TERMS = 2;

/**
 * Counts a text's terms, and how often each is written in each form (the most common is shown).
 * Tokens never span a newline, so the counts of texts joined by newlines are the sums of theirs.
 */
export function countTerms(text: string): TermCounts {
	const counts = new Map<string, number>();
	const surfaces = new Map<string, Map<string, number>>();
	for (const token of tokenize(text)) {
		// Addresses (doi.org, arxiv.org) and abbreviations are layout, not subject.
		if (token.text.includes('.')) continue;
		for (const term of termsOfToken(token.text)) {
			if (term.length < 3 || /^\d/.test(term) || GENERIC_TERMS.has(term)) continue;
			counts.set(term, (counts.get(term) ?? 0) + 1);
			const surface = term.length === compoundParts(token.text).join('').length ? token.text : term;
			let forms = surfaces.get(term);
			if (!forms) surfaces.set(term, (forms = new Map()));
			forms.set(surface, (forms.get(surface) ?? 0) + 1);
		}
	}
	return { counts, surfaces };
}

/** The metadata a paper is compared on besides its pages (title weighted up). */
export function metadataText(paper: Paper): string {
	return [paper.title, paper.title, paper.keywords.join('. '), paper.abstract ?? ''].join('\n');
}

/**
 * TF-IDF (log-scaled term frequency, log inverse document frequency, L2-normalised) over each
 * paper's metadata and page texts, then five neighbours per paper and a 2D PCA map.
 * `pageTexts` maps a paper id to the normalised text of each PDF page (papers without a PDF
 * are compared on their metadata alone). The ingest counts through its cache instead
 * ({@link similarityOfTerms}).
 */
export function computeSimilarity(
	papers: Paper[],
	pageTexts: Map<string, string[]>,
	options: SimilarityOptions = {}
): SimilarityResult {
	const strings = new TermStrings();
	const terms = papers.map((paper): PaperTerms => {
		const pages = pageTexts.get(paper.id) ?? [];
		return {
			metadata: toTermList(countTerms(metadataText(paper)), strings),
			pages: pages.length > 0 ? toTermList(countTerms(pages.join('\n')), strings) : null
		};
	});
	return similarityOfTerms(papers, terms, strings.strings, options);
}

/**
 * {@link computeSimilarity} from term lists already counted: `terms[i]` is `papers[i]`'s, its ids
 * into `strings`.
 */
export function similarityOfTerms(
	papers: Paper[],
	terms: PaperTerms[],
	strings: readonly string[],
	options: SimilarityOptions = {}
): SimilarityResult {
	const neighbours = options.neighbours ?? 5;
	const sharedTerms = options.sharedTerms ?? 5;
	const termsPerPaper = options.termsPerPaper ?? 300;
	const counts = terms.map(({ metadata, pages }) => mergeTermLists(metadata, pages));

	const documentFrequency = new Int32Array(strings.length);
	// Among the papers with full text only too: next to metadata-only records, every word of
	// running prose ("decision", "score") looks rare, yet it is in most full texts.
	const fullTextFrequency = new Int32Array(strings.length);
	let fullTexts = 0;
	counts.forEach((termCounts, i) => {
		const fullText = terms[i].pages !== null;
		if (fullText) fullTexts += 1;
		for (const term of termCounts.terms) {
			documentFrequency[term] += 1;
			if (fullText) fullTextFrequency[term] += 1;
		}
	});
	const total = papers.length;
	const genericAbove = (papersCount: number) =>
		Math.max(MIN_GENERIC_DOCUMENT_FREQUENCY - 1, Math.floor(papersCount * MAX_DOCUMENT_SHARE));
	const maxDocumentFrequency = genericAbove(total);
	const maxFullTextFrequency = genericAbove(fullTexts);
	// A term in one paper only cannot make two papers similar; one in many says nothing of a
	// subject ("learning", "about", "pdf"), so it is never evidence, however often it is used.
	const useful = (term: number) =>
		documentFrequency[term] >= 2 &&
		documentFrequency[term] <= maxDocumentFrequency &&
		fullTextFrequency[term] <= maxFullTextFrequency;

	// Per term once rather than per paper and term: the same values, so the same weights.
	const usefulTerm = new Uint8Array(strings.length);
	const inverseFrequency = new Float64Array(strings.length);
	for (let term = 0; term < strings.length; term++) {
		if (!useful(term)) continue;
		usefulTerm[term] = 1;
		inverseFrequency[term] = Math.log(total / documentFrequency[term]);
	}
	const logOfCount = Float64Array.from({ length: 256 }, (_, count) => Math.log(count));
	const longest = counts.reduce((most, { terms }) => Math.max(most, terms.length), 0);
	const candidateTerms = new Int32Array(longest);
	const candidateWeights = new Float64Array(longest);
	const rows = counts.map((termCounts): WeightedTerms => {
		let m = 0;
		for (let k = 0; k < termCounts.terms.length; k++) {
			const term = termCounts.terms[k];
			if (!usefulTerm[term]) continue;
			const count = termCounts.counts[k];
			const logCount = count < logOfCount.length ? logOfCount[count] : Math.log(count);
			candidateTerms[m] = term;
			candidateWeights[m++] = (1 + logCount) * inverseFrequency[term];
		}
		const kept = strongest(
			candidateTerms.subarray(0, m),
			candidateWeights.subarray(0, m),
			termsPerPaper,
			strings
		);
		const norm = Math.sqrt(kept.reduce((sum, [, w]) => sum + w * w, 0)) || 1;
		return {
			terms: Int32Array.from(kept, ([term]) => term),
			weights: Float64Array.from(kept, ([, w]) => w / norm)
		};
	});
	const dots = dotProducts(rows);
	const sharedOf = strongestSharedTerms(rows, strings);
	const byRank = (a: { j: number; score: number }, b: { j: number; score: number }) =>
		b.score - a.score || papers[a.j].id.localeCompare(papers[b.j].id);
	const listed = papers.map((_, i) => {
		const found: { id: string; score: number; terms: number[] }[] = [];
		for (const { j, score } of ranked(dots(i, MIN_SIMILARITY), byRank)) {
			if (found.length === neighbours) break;
			const shared = sharedOf(i, j, sharedTerms);
			// One shared word is a coincidence of vocabulary, not a shared subject.
			if (shared.length < MIN_SHARED_TERMS) continue;
			found.push({ id: papers[j].id, score: Math.round(score * 1000) / 1000, terms: shared });
		}
		return found;
	});
	const displayForm = displayForms(listed, terms, strings);
	const similar: Record<string, SimilarPaper[]> = {};
	papers.forEach((paper, i) => {
		similar[paper.id] = listed[i].map((item) => ({ ...item, terms: item.terms.map(displayForm) }));
	});

	const map = pcaMapOfRows(rows).map(([x, y], i) => ({ id: papers[i].id, x, y }));
	return { similar, map };
}

/**
 * The `limit` strongest terms and their weights, strongest first (ties by term). The weight at
 * the limit comes from a numeric sort of the weights, so that only the terms at or above it are
 * sorted by weight and name (sorting them all was a third of the vectors' time).
 */
function strongest(
	ids: Int32Array,
	weights: Float64Array,
	limit: number,
	strings: readonly string[]
): [number, number][] {
	let floor = -Infinity;
	if (weights.length > limit) {
		const sorted = weights.slice().sort();
		floor = sorted[sorted.length - limit];
	}
	const kept: [number, number][] = [];
	for (let k = 0; k < weights.length; k++) {
		if (weights[k] >= floor) kept.push([ids[k], weights[k]]);
	}
	kept.sort((a, b) => b[1] - a[1] || (strings[a[0]] < strings[b[0]] ? -1 : 1));
	return kept.slice(0, limit);
}

/**
 * The written form each listed term is shown in: the most common across all papers (ties by
 * form), counted for the listed terms only.
 */
function displayForms(
	listed: { terms: number[] }[][],
	terms: PaperTerms[],
	strings: readonly string[]
): (term: number) => string {
	const wanted = new Uint8Array(strings.length);
	for (const items of listed) {
		for (const item of items) for (const term of item.terms) wanted[term] = 1;
	}
	const forms = new Map<number, Map<string, number>>();
	for (const { metadata, pages } of terms) {
		addWrittenForms(forms, metadata, wanted, strings);
		if (pages) addWrittenForms(forms, pages, wanted, strings);
	}
	const chosen = new Map<number, string>();
	for (const [term, counts] of forms) {
		chosen.set(term, [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0]);
	}
	return (term) => chosen.get(term) ?? strings[term];
}

/** A paper's kept terms (ids) and their normalised weights, strongest first. */
interface WeightedTerms {
	terms: Int32Array;
	weights: Float64Array;
}

/**
 * The candidates in the order of `compare`, sorting only the best few unless more are read: a
 * paper has hundreds of candidates on a large corpus, and five neighbours are wanted.
 */
export function* ranked<T extends { score: number }>(
	candidates: T[],
	compare: (a: T, b: T) => number,
	first = 64
): Generator<T> {
	if (candidates.length <= first) {
		yield* candidates.sort(compare);
		return;
	}
	const scores = Float64Array.from(candidates, ({ score }) => score).sort();
	const floor = scores[scores.length - first];
	yield* candidates.filter(({ score }) => score >= floor).sort(compare);
	yield* candidates.filter(({ score }) => score < floor).sort(compare);
}

/**
 * The rows' entries in three flat arrays, rows one after the other, with terms numbered from 0
 * in the order first met (as the Maps of vectors once were, so that sums over terms keep their
 * order and the map its last digits).
 */
function numberedRows(rows: WeightedTerms[]): {
	rowStart: Int32Array;
	rowTerm: Int32Array;
	rowWeight: Float64Array;
	termCount: number;
} {
	const rowStart = new Int32Array(rows.length + 1);
	let largest = -1;
	rows.forEach(({ terms }, i) => {
		rowStart[i + 1] = rowStart[i] + terms.length;
		for (const term of terms) largest = Math.max(largest, term);
	});
	const numbered = new Int32Array(largest + 1).fill(-1);
	const rowTerm = new Int32Array(rowStart[rows.length]);
	const rowWeight = new Float64Array(rowTerm.length);
	let termCount = 0;
	let k = 0;
	for (const { terms, weights } of rows) {
		for (let e = 0; e < terms.length; e++) {
			if (numbered[terms[e]] < 0) numbered[terms[e]] = termCount++;
			rowTerm[k] = numbered[terms[e]];
			rowWeight[k++] = weights[e];
		}
	}
	return { rowStart, rowTerm, rowWeight, termCount };
}

/**
 * The dot products of one paper's vector with every other paper sharing a term with it, through
 * term postings (no n × n matrix), those of at least `floor` only. Vectors and postings are
 * numbered into typed arrays once: with Maps of pairs and an object per touched paper, this was
 * most of the neighbour search. Sums run in the same order as over the Maps, so scores are equal.
 */
function dotProducts(
	rows: WeightedTerms[]
): (i: number, floor: number) => { j: number; score: number }[] {
	const { rowStart, rowTerm, rowWeight, termCount } = numberedRows(rows);
	const entries = rowTerm.length;
	// Postings by term, each in paper order (a counting sort of the entries).
	const postingStart = new Int32Array(termCount + 1);
	for (let e = 0; e < entries; e++) postingStart[rowTerm[e] + 1]++;
	for (let t = 0; t < termCount; t++) postingStart[t + 1] += postingStart[t];
	const cursor = postingStart.slice(0, termCount);
	const postingPaper = new Int32Array(entries);
	const postingWeight = new Float64Array(entries);
	for (let i = 0; i < rows.length; i++) {
		for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
			const at = cursor[rowTerm[e]]++;
			postingPaper[at] = i;
			postingWeight[at] = rowWeight[e];
		}
	}
	const scores = new Float64Array(rows.length);
	const touched = new Int32Array(rows.length);
	return (i, floor) => {
		let count = 0;
		for (let e = rowStart[i]; e < rowStart[i + 1]; e++) {
			const weight = rowWeight[e];
			const term = rowTerm[e];
			for (let p = postingStart[term]; p < postingStart[term + 1]; p++) {
				const j = postingPaper[p];
				if (scores[j] === 0) touched[count++] = j;
				scores[j] += weight * postingWeight[p];
			}
		}
		const found: { j: number; score: number }[] = [];
		for (let c = 0; c < count; c++) {
			const j = touched[c];
			if (j !== i && scores[j] >= floor) found.push({ j, score: scores[j] });
			scores[j] = 0;
		}
		return found;
	};
}

/**
 * The `limit` terms two papers share with the largest products of weights (ties by term), as
 * term ids; the second paper's weights are spread over an array by term id for the lookup.
 */
function strongestSharedTerms(
	rows: WeightedTerms[],
	strings: readonly string[]
): (i: number, j: number, limit: number) => number[] {
	const weightOf = new Float64Array(strings.length);
	return (i, j, limit) => {
		const other = rows[j];
		for (let k = 0; k < other.terms.length; k++) weightOf[other.terms[k]] = other.weights[k];
		const { terms, weights } = rows[i];
		const shared: [number, number][] = [];
		for (let k = 0; k < terms.length; k++) {
			const otherWeight = weightOf[terms[k]];
			if (otherWeight) shared.push([terms[k], weights[k] * otherWeight]);
		}
		for (let k = 0; k < other.terms.length; k++) weightOf[other.terms[k]] = 0;
		return shared
			.sort((x, y) => y[1] - x[1] || (strings[x[0]] < strings[y[0]] ? -1 : 1))
			.slice(0, limit)
			.map(([term]) => term);
	};
}

/**
 * Classical PCA of the vectors: double-centre their Gram matrix, take its top two eigenvectors
 * (Lanczos, eigen.ts), scale by √λ. The Gram matrix is never built: it is applied as X·(Xᵀ·u)
 * on the centred sparse vectors, so a step costs the vectors' size, not n². Deterministic
 * (fixed start, fixed signs) so the map does not flip between builds. Coordinates are scaled to
 * -1..1 on the wider axis.
 */
export function pcaMap(vectors: Vector[]): [number, number][] {
	const strings = new TermStrings();
	return pcaMapOfRows(
		vectors.map((vector) => ({
			terms: Int32Array.from(vector.keys(), (term) => strings.id(term)),
			weights: Float64Array.from(vector.values())
		}))
	);
}

/** {@link pcaMap} of the rows of term ids and weights. */
function pcaMapOfRows(rows: WeightedTerms[]): [number, number][] {
	const n = rows.length;
	if (n === 0) return [];
	if (n === 1) return [[0, 0]];
	const start = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 7919) % 97) / 97);
	const components = largestEigenpairs(centredGramOperator(rows), start, 2).map(
		({ vector, value }) => {
			// Fix the sign: the largest component is positive.
			const largest = vector.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), 0);
			const scale = Math.sqrt(value) * (largest < 0 ? -1 : 1);
			return vector.map((v) => v * scale);
		}
	);
	const points = Array.from({ length: n }, (_, i): [number, number] => [
		components[0][i],
		components[1][i]
	]);
	const extent = Math.max(...points.flatMap(([x, y]) => [Math.abs(x), Math.abs(y)])) || 1;
	return points.map(([x, y]) => [round(x / extent), round(y / extent)]);
}

/**
 * u ↦ (X − 1·meanᵀ)(X − 1·meanᵀ)ᵀ·u for the sparse rows X, with terms numbered and rows kept
 * in typed arrays, so that a step is two passes over the rows' entries.
 */
function centredGramOperator(rows: WeightedTerms[]): (u: Float64Array) => Float64Array {
	const { rowStart, rowTerm, rowWeight, termCount } = numberedRows(rows);
	const n = rows.length;
	const mean = new Float64Array(termCount);
	for (let e = 0; e < rowTerm.length; e++) mean[rowTerm[e]] += rowWeight[e] / n;
	const z = new Float64Array(termCount);
	return (u) => {
		// z = Xcᵀ·u = Xᵀ·u − mean·Σu
		let total = 0;
		for (let i = 0; i < n; i++) total += u[i];
		for (let t = 0; t < z.length; t++) z[t] = -mean[t] * total;
		for (let i = 0; i < n; i++) {
			for (let e = rowStart[i]; e < rowStart[i + 1]; e++) z[rowTerm[e]] += rowWeight[e] * u[i];
		}
		// Xc·z = X·z − (mean·z)·1
		let meanDotZ = 0;
		for (let t = 0; t < z.length; t++) meanDotZ += mean[t] * z[t];
		const product = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			let dot = 0;
			for (let e = rowStart[i]; e < rowStart[i + 1]; e++) dot += rowWeight[e] * z[rowTerm[e]];
			product[i] = dot - meanDotZ;
		}
		return product;
	};
}

function round(value: number): number {
	return Math.round(value * 10000) / 10000;
}

interface SimilarPaperView extends SimilarPaper {
	title: string;
	year: number;
	authors: string[];
}

/** The similar papers of one paper, ready to show (title, year, authors), best first. */
export function similarPapersOf(catalog: Catalog, paperId: string): SimilarPaperView[] {
	const byId = new Map(catalog.papers.map((paper) => [paper.id, paper]));
	return (catalog.similar[paperId] ?? []).flatMap((item) => {
		const paper = byId.get(item.id);
		return paper
			? [
					{
						...item,
						title: paper.title,
						year: paper.year,
						authors: paper.authors.map((a) => a.name)
					}
				]
			: [];
	});
}
