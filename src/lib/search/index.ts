/** The search engine's public surface on the server (the ingest imports storage directly). */
export { SearchEngine } from './engine.ts';
export {
	parseSearchParams,
	SearchParamError,
	searchParams,
	searchParamsToQuery
} from './params.ts';
export { parseQuery } from './query.ts';
