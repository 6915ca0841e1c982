/**
 * `/papers/<id>/matches?q=`: what a query matches in the text of one paper (the index terms its
 * pages hold and the phrases), so the reader's find bar marks what a search would: typo
 * corrections, synonyms, stems, compounds. Its work is bounded as a search's is.
 */
import type { SearchEngine } from '../search/engine.ts';
import { MAX_QUERY_LENGTH } from '../search/query.ts';

/**
 * Seconds a browser may reuse an answer: it changes only with the build, and a reader asks again
 * as its find bar's text changes.
 */
export const MATCHES_MAX_AGE = 60;

/**
 * The answer for query `q` in paper `paperId`: its `MatchSpec` as JSON, or a 404 naming the
 * paper. Only the first `MAX_QUERY_LENGTH` characters of `q` are read, as by the search.
 */
export function matchesResponse(
	engine: Pick<SearchEngine, 'matchSpec'>,
	paperId: string,
	q: string
): Response {
	const spec = engine.matchSpec(q.slice(0, MAX_QUERY_LENGTH), paperId);
	if (!spec) {
		return Response.json({ message: `No paper with id "${paperId}"` }, { status: 404 });
	}
	return Response.json(spec, {
		headers: { 'cache-control': `private, max-age=${MATCHES_MAX_AGE}` }
	});
}
