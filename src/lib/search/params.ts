/**
 * The search parameters of `/search` and `/api/search`, read from a URL. The query text itself
 * is never refused (see query.ts); malformed facet values and paging are, with a message that
 * names the parameter, and the routes answer 400.
 */
import type { SearchParams } from '../types.ts';
import { PAPER_TYPES } from '../corpus/schema.ts';

export class SearchParamError extends Error {
	constructor(
		readonly param: string,
		message: string
	) {
		super(`${param}: ${message}`);
		this.name = 'SearchParamError';
	}
}

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const MAX_OFFSET = 10_000;
const ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/i;

/** Every value of a repeatable parameter, also accepting comma-separated lists. */
function listParam(query: URLSearchParams, name: string): string[] {
	return query
		.getAll(name)
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter(Boolean);
}

function integerParam(
	query: URLSearchParams,
	name: string,
	fallback: number,
	min: number,
	max: number
): number {
	const raw = query.get(name);
	if (raw === null || raw.trim() === '') return fallback;
	if (!/^\d+$/.test(raw.trim())) throw new SearchParamError(name, `"${raw}" is not a whole number`);
	const value = Number(raw.trim());
	if (value < min || value > max) {
		throw new SearchParamError(name, `${value} is out of range (${min}–${max})`);
	}
	return value;
}

/** Reads search parameters from a URL query; throws {@link SearchParamError} on bad values. */
export function parseSearchParams(query: URLSearchParams): SearchParams {
	const ids = (name: string) => {
		const values = listParam(query, name);
		for (const value of values) {
			if (!ID_PATTERN.test(value)) throw new SearchParamError(name, `"${value}" is not a valid id`);
		}
		return [...new Set(values)];
	};
	const years = listParam(query, 'year').map((value) => {
		if (!/^\d{4}$/.test(value)) throw new SearchParamError('year', `"${value}" is not a year`);
		return Number(value);
	});
	const types = listParam(query, 'type').map((value) => value.toLowerCase());
	for (const type of types) {
		if (!(PAPER_TYPES as readonly string[]).includes(type)) {
			throw new SearchParamError('type', `"${type}" is not one of ${PAPER_TYPES.join(', ')}`);
		}
	}
	const sort = query.get('sort') || 'relevance';
	if (sort !== 'relevance' && sort !== 'year') {
		throw new SearchParamError('sort', `"${sort}" is not one of relevance, year`);
	}
	const award = (query.get('award') ?? '').toLowerCase();
	if (!['', 'true', 'false', '1', '0', 'yes', 'no', 'on'].includes(award)) {
		throw new SearchParamError('award', `"${award}" is not true or false`);
	}
	return {
		q: (query.get('q') ?? '').slice(0, 1000),
		topic: ids('topic'),
		method: ids('method'),
		edition: ids('edition'),
		year: [...new Set(years)],
		type: [...new Set(types)],
		award: ['true', '1', 'yes', 'on'].includes(award),
		sort,
		limit: integerParam(query, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT),
		offset: integerParam(query, 'offset', 0, 0, MAX_OFFSET)
	};
}

/** Default parameters with some fields set; handy for code and tests. */
export function searchParams(partial: Partial<SearchParams> = {}): SearchParams {
	return {
		q: '',
		topic: [],
		method: [],
		edition: [],
		year: [],
		type: [],
		award: false,
		sort: 'relevance',
		limit: DEFAULT_LIMIT,
		offset: 0,
		...partial
	};
}

/** The URL query of a set of parameters, leaving out defaults, so links stay short and stable. */
export function searchParamsToQuery(params: SearchParams): URLSearchParams {
	const query = new URLSearchParams();
	if (params.q) query.set('q', params.q);
	for (const value of params.topic) query.append('topic', value);
	for (const value of params.method) query.append('method', value);
	for (const value of params.edition) query.append('edition', value);
	for (const value of params.year) query.append('year', String(value));
	for (const value of params.type) query.append('type', value);
	if (params.award) query.set('award', 'true');
	if (params.sort !== 'relevance') query.set('sort', params.sort);
	if (params.limit !== DEFAULT_LIMIT) query.set('limit', String(params.limit));
	if (params.offset) query.set('offset', String(params.offset));
	return query;
}

/** How many facet values are selected (ticked filter boxes; the award filter counts one). */
export function selectedFacetCount(params: SearchParams): number {
	return (
		params.topic.length +
		params.method.length +
		params.edition.length +
		params.year.length +
		params.type.length +
		(params.award ? 1 : 0)
	);
}
