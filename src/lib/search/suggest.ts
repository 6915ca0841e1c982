/** "Did you mean": the query with each unknown word replaced by its closest known term. */
import { compoundParts, termsOfToken, tokenize } from '../text/normalise.ts';
import type { QueryCompiler } from './compile.ts';
import { boundedEditDistance } from './edit-distance.ts';
import type { MetadataSearch } from './metadata-search.ts';
import { fuzzyDistance } from './options.ts';
import type { ParsedQuery } from './query.ts';
import type { BodyVocabulary } from './vocabulary.ts';

/** What a suggestion looks words up in. */
export interface SuggestionSources {
	compiler: QueryCompiler;
	body: BodyVocabulary;
	metadata: MetadataSearch;
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
		suggestion += query.slice(last, token.start) + correction;
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
