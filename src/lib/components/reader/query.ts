/**
 * Turns a search query string (`q`) or what a reader types in the find bar into the words and
 * phrases to highlight, with the search page's own parser: quoted phrases, `OR`, and
 * `-excluded` words or `topic:`-style filters (which are not words on the page) left out.
 */
import { parseQuery, type PhraseClause, type TermClause } from '../../search/query.ts';
import { tokenize } from '../../text/normalise.ts';
import type { FindUnit } from './match.ts';

/** Units to find for a query: each phrase and each word, once. */
export function findUnitsOfQuery(query: string): FindUnit[] {
	const typed = tokenize(query);
	// The parser folds case; the find bar's "match case" needs the letters as typed.
	const surfaceOf = (token: string) => {
		const original = typed.find((candidate) => candidate.text === token);
		return original ? query.slice(original.start, original.end) : token;
	};
	const parsed = parseQuery(query);
	const clauses: (TermClause | PhraseClause)[] = parsed.clauses.flatMap((clause) =>
		clause.kind === 'or' ? clause.children : [clause]
	);
	const units: FindUnit[] = [];
	const seen = new Set<string>();
	const add = (words: string[]) => {
		const key = words.join(' ');
		if (!words.length || seen.has(key)) return;
		seen.add(key);
		units.push({ surface: words.map(surfaceOf).join(' '), words });
	};
	for (const clause of clauses) add(clause.kind === 'phrase' ? clause.tokens : [clause.token]);
	// A find-bar search for a word the index ignores ("not", "of") still finds it on the page.
	if (!units.length && !parsed.filters.length && !parsed.excluded.length) {
		for (const token of typed) add([token.text]);
	}
	return units;
}
