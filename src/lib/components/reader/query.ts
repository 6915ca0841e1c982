/**
 * Turns a search query string (`q`) or what a reader types in the find bar into the words and
 * phrases to highlight. A local adapter: it follows the query syntax of the search page
 * (quoted phrases, `-excluded` words, `field:value` filters) and should give way to the shared
 * parser of `src/lib/search` once that exists.
 */
import { tokenize } from '../../text/normalise.ts';
import type { FindUnit } from './match.ts';

const OPERATORS = new Set(['AND', 'OR', 'NOT']);

/** Units to find for a query: each quoted phrase, then each remaining word. */
export function findUnitsOfQuery(query: string): FindUnit[] {
	const units: FindUnit[] = [];
	const seen = new Set<string>();
	const add = (surface: string) => {
		const words = tokenize(surface).map((token) => token.text);
		const key = words.join(' ');
		if (!words.length || seen.has(key)) return;
		seen.add(key);
		units.push({ surface: surface.trim(), words });
	};
	const rest = query.replace(
		/(^|\s)(-?)"([^"]*)"?/g,
		(_whole, space: string, minus: string, phrase: string) => {
			if (!minus) add(phrase);
			return space;
		}
	);
	for (const chunk of rest.split(/\s+/)) {
		if (!chunk || chunk.startsWith('-') || OPERATORS.has(chunk)) continue;
		// `topic:grad-cam`-style filters narrow the results; they are not words on the page.
		if (/^[a-z]+:/i.test(chunk)) continue;
		add(chunk);
	}
	return units;
}
