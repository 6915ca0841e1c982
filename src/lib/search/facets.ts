/** The query's filters (`year:2024`, `topic:…`), the facet selections, and the facet counts. */
import type { Catalog, FacetCounts, Paper, SearchParams, SearchResponse } from '../types.ts';
import { fold } from '../text/normalise.ts';
import type { ParsedQuery } from './query.ts';
import { selectedFacetCount } from './params.ts';
import { PAPER_TYPES } from '../corpus/schema.ts';

/** Whether a paper passes the filters typed in the query. */
export function passesQueryFilters(paper: Paper, parsed: ParsedQuery): boolean {
	return parsed.filters.every(({ field, value }) => {
		switch (field) {
			case 'year':
				return String(paper.year) === value;
			case 'type':
				return paper.type === value;
			case 'edition':
				return paper.edition.toLowerCase() === value;
			case 'topic':
			case 'method':
				return paper.topics.some(
					(topic) =>
						topic.facet === field && (topic.id === value || fold(topic.label).includes(value))
				);
		}
	});
}

/** Whether a paper passes the facet selections, ignoring facet `except` (for its counts). */
export function passesFacets(paper: Paper, params: SearchParams, except: string | null): boolean {
	if (
		except !== 'topic' &&
		params.topic.length &&
		!paper.topics.some((t) => t.facet === 'topic' && params.topic.includes(t.id))
	)
		return false;
	if (
		except !== 'method' &&
		params.method.length &&
		!paper.topics.some((t) => t.facet === 'method' && params.method.includes(t.id))
	)
		return false;
	if (except !== 'edition' && params.edition.length && !params.edition.includes(paper.edition))
		return false;
	if (except !== 'year' && params.year.length && !params.year.includes(paper.year)) return false;
	if (except !== 'type' && params.type.length && !(paper.type && params.type.includes(paper.type)))
		return false;
	if (except !== 'award' && params.award && !paper.award) return false;
	return true;
}

/**
 * Counts per facet value over the papers marked in `candidate` (the query's matches) and the
 * other facets' selections.
 */
export function facetCounts(
	candidate: Uint8Array,
	papers: (Paper | undefined)[],
	catalog: Catalog,
	params: SearchParams
): SearchResponse['facets'] {
	const zeros = (keys: Iterable<string | number>): FacetCounts =>
		Object.fromEntries([...keys].map((key) => [String(key), 0]));
	const taxonomy = catalog.taxonomy.topics;
	const facets: SearchResponse['facets'] = {
		topic: zeros(taxonomy.filter((t) => t.facet === 'topic').map((t) => t.id)),
		method: zeros(taxonomy.filter((t) => t.facet === 'method').map((t) => t.id)),
		edition: zeros(catalog.editions.map((edition) => edition.id)),
		year: zeros(new Set(catalog.editions.map((edition) => edition.year))),
		type: zeros(PAPER_TYPES),
		award: zeros(['yes'])
	};
	// With no facet selected every paper passes every facet: skip the six checks per paper.
	const anySelected = selectedFacetCount(params) > 0;
	const passes = (paper: Paper, except: string): boolean =>
		!anySelected || passesFacets(paper, params, except);
	for (let p = 0; p < candidate.length; p++) {
		if (!candidate[p]) continue;
		const paper = papers[p]!;
		if (passes(paper, 'topic')) {
			for (const topic of paper.topics)
				if (topic.facet === 'topic') facets.topic[topic.id] = (facets.topic[topic.id] ?? 0) + 1;
		}
		if (passes(paper, 'method')) {
			for (const topic of paper.topics)
				if (topic.facet === 'method') facets.method[topic.id] = (facets.method[topic.id] ?? 0) + 1;
		}
		if (passes(paper, 'edition'))
			facets.edition[paper.edition] = (facets.edition[paper.edition] ?? 0) + 1;
		if (passes(paper, 'year')) facets.year[paper.year] = (facets.year[paper.year] ?? 0) + 1;
		if (paper.type && passes(paper, 'type'))
			facets.type[paper.type] = (facets.type[paper.type] ?? 0) + 1;
		if (paper.award && passes(paper, 'award')) facets.award.yes += 1;
	}
	return facets;
}
