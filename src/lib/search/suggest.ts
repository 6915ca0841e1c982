/** "Did you mean": the query with each unknown word replaced by its closest known term. */
import { compoundParts, termsOfToken, tokenize } from '../text/normalise.ts';
import type { QueryCompiler } from './compile.ts';
import { boundedEditDistance } from './edit-distance.ts';
import type { MetadataSearch } from './metadata-search.ts';
import { fuzzyDistance } from './options.ts';
import { authorNames } from './page-documents.ts';
import type { PageTexts } from './page-texts.ts';
import type { ParsedQuery } from './query.ts';
import type { BodyVocabulary } from './vocabulary.ts';
import type { Paper } from '../types.ts';

/** Pages (or papers) read at most for the written form of a stem: enough to meet its spellings. */
const PLACES_READ_FOR_WRITTEN_FORM = 10;

/** What a suggestion looks words up in. */
export interface SuggestionSources {
	compiler: QueryCompiler;
	body: BodyVocabulary;
	metadata: MetadataSearch;
	pages: PageTexts;
	/** By paper number, as the metadata search counts them. */
	papers: readonly (Paper | undefined)[];
}

/** The query with its unknown words corrected, or null when none is (or the query is empty). */
export function suggestQuery(
	query: string,
	parsed: ParsedQuery,
	sources: SuggestionSources
): string | null {
	if (parsed.clauses.length === 0) return null;
	let suggestion = '';
	let last = 0;
	let changed = false;
	for (const token of tokenize(query)) {
		const before = query.slice(0, token.start);
		if (/(?:year|type|topic|method|edition):$/i.test(before) || query[token.end] === ':') continue;
		// A compound typed with its hyphen (`u-net`) is a name; the nearest word (`unit`, or the
		// `net` of `COVID-Net`) is not what was meant.
		if (compoundParts(token.text).length > 1) continue;
		const term = termsOfToken(token.text)[0];
		if (
			!term ||
			sources.compiler.frequency(term, null) > 0 ||
			sources.compiler.splitCompound(term).length
		)
			continue;
		const correction = closestTerm(term, sources);
		if (!correction) continue;
		suggestion += query.slice(last, token.start) + writtenForm(correction, token.text, sources);
		last = token.end;
		changed = true;
	}
	return changed ? suggestion + query.slice(last) : null;
}

/**
 * The closest known term to an unknown one: fewest edits, then most documents, among the
 * body vocabulary and the metadata terms MiniSearch's typo search finds.
 */
function closestTerm(term: string, { compiler, body, metadata }: SuggestionSources): string | null {
	const maxDistance = fuzzyDistance(term);
	if (maxDistance === 0) return null;
	const candidates = body.fuzzyTerms(term).map(({ id, distance }) => ({
		term: body.term(id),
		distance
	}));
	const seen = new Set(candidates.map((candidate) => candidate.term));
	for (const matched of metadata.search(term, null, false, maxDistance).terms) {
		if (seen.has(matched)) continue;
		seen.add(matched);
		const distance = boundedEditDistance(term, matched, maxDistance);
		if (distance > 0 && distance <= maxDistance) candidates.push({ term: matched, distance });
	}
	let best: { term: string; distance: number; count: number } | null = null;
	for (const candidate of candidates) {
		if (best && candidate.distance > best.distance) continue;
		const count = compiler.frequency(candidate.term, null);
		if (!best || candidate.distance < best.distance || count > best.count)
			best = { ...candidate, count };
	}
	return best?.term ?? null;
}

/**
 * How the corpus writes an index term, which may be a stem no one wrote ("lesion" of "lesions",
 * "reye" of "Reyes"): of the words that index as it in the first places holding it, the one
 * closest to what was typed, then the most frequent. Reading stops at a word one edit away.
 */
function writtenForm(term: string, typed: string, sources: SuggestionSources): string {
	const counts = new Map<string, number>();
	let best = { word: term, distance: Infinity, count: 0 };
	for (const text of textsHolding(term, sources)) {
		for (const { text: word } of tokenize(text)) {
			if (compoundParts(word).length > 1 || termsOfToken(word)[0] !== term) continue;
			const count = (counts.get(word) ?? 0) + 1;
			counts.set(word, count);
			const distance = boundedEditDistance(typed, word, typed.length + word.length);
			if (distance < best.distance || (distance === best.distance && count > best.count))
				best = { word, distance, count };
		}
		if (best.distance <= 1) break;
	}
	return best.word;
}

/** The texts of the first places holding an index term: its pages, else its papers' metadata. */
function* textsHolding(
	term: string,
	{ body, pages, metadata, papers }: SuggestionSources
): Generator<string> {
	const id = body.termId(term);
	if (id >= 0) {
		for (const doc of body.firstDocuments(id, PLACES_READ_FOR_WRITTEN_FORM)) yield pages.text(doc);
		return;
	}
	for (const p of metadata.exact(term, null).papers.subarray(0, PLACES_READ_FOR_WRITTEN_FORM)) {
		const paper = papers[p];
		if (!paper) continue;
		yield [paper.title, ...authorNames(paper), ...paper.keywords, paper.abstract ?? ''].join(
			' \n '
		);
	}
}
