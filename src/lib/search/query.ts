/**
 * The query language, parsed leniently: any string is a valid query. Unbalanced quotes close at
 * the end, stray operators are read as words or dropped, unknown `field:` prefixes are text.
 *
 * - `word` (typo tolerant, prefix matched), `"exact phrase"`, `-exclude`, `-"phrase"`
 * - `a OR b`
 * - `author:reyes`, `title:prototype`, `abstract:…`, `keyword:…` (text in one field)
 * - `topic:uncertainty`, `method:grad-cam`, `year:2025`, `type:oral`, `edition:…` (filters)
 */
import { fold, termsOfToken, tokenize } from '../text/normalise.ts';
import type { IndexedField } from './options.ts';

export interface TermClause {
	kind: 'term';
	/** Folded token as typed (`grad-cam`). */
	token: string;
	field: IndexedField | null;
	/** Typed in capitals, 2–5 letters (`CAM`): an acronym, wanted as written, not completed. */
	acronym: boolean;
}

export interface PhraseClause {
	kind: 'phrase';
	/** Folded tokens of the phrase, stop words included. */
	tokens: string[];
	field: IndexedField | null;
}

interface OrClause {
	kind: 'or';
	children: (TermClause | PhraseClause)[];
}

export type Clause = TermClause | PhraseClause | OrClause;

type FilterField = 'topic' | 'method' | 'year' | 'type' | 'edition';

export interface ParsedQuery {
	clauses: Clause[];
	excluded: (TermClause | PhraseClause)[];
	/** Values given with `topic:`, `method:`… — all must hold (folded text). */
	filters: { field: FilterField; value: string }[];
	/** The query was longer than the parser reads (see the bounds below): the rest is ignored. */
	truncated: boolean;
}

const TEXT_FIELDS: Record<string, IndexedField> = {
	author: 'authors',
	authors: 'authors',
	title: 'title',
	abstract: 'abstract',
	keyword: 'keywords',
	keywords: 'keywords',
	body: 'body',
	text: 'body'
};
const FILTER_FIELDS: Record<string, FilterField> = {
	topic: 'topic',
	method: 'method',
	year: 'year',
	type: 'type',
	edition: 'edition'
};

const ACRONYM = /^[A-Z]{2,5}$/;

/** A raw piece of the query before it is turned into clauses. */
interface Piece {
	negated: boolean;
	field: string | null;
	quoted: boolean;
	text: string;
	isOr: boolean;
}

/** Longest query looked at; the rest is ignored rather than refused. */
export const MAX_QUERY_LENGTH = 500;
/** Most words and phrases read (OR'ed, excluded and filters included); the rest is ignored. */
export const MAX_QUERY_TERMS = 32;
/** Most words of one quoted phrase; the rest of it is ignored. */
export const MAX_PHRASE_WORDS = 12;

function splitPieces(query: string): Piece[] {
	const pieces: Piece[] = [];
	const text = query.slice(0, MAX_QUERY_LENGTH);
	let i = 0;
	while (i < text.length) {
		while (i < text.length && /\s/.test(text[i])) i++;
		if (i >= text.length) break;
		let negated = false;
		let field: string | null = null;
		if (text[i] === '-' && i + 1 < text.length && !/\s/.test(text[i + 1])) {
			negated = true;
			i++;
		}
		const fieldMatch = /^([a-zA-Z]+):(?=\S)/.exec(text.slice(i));
		if (
			fieldMatch &&
			(fieldMatch[1].toLowerCase() in TEXT_FIELDS || fieldMatch[1].toLowerCase() in FILTER_FIELDS)
		) {
			field = fieldMatch[1].toLowerCase();
			i += fieldMatch[0].length;
		}
		if (text[i] === '"') {
			const close = text.indexOf('"', i + 1);
			const end = close === -1 ? text.length : close;
			pieces.push({ negated, field, quoted: true, text: text.slice(i + 1, end), isOr: false });
			i = end + 1;
			continue;
		}
		let end = i;
		while (end < text.length && !/\s/.test(text[end]) && text[end] !== '"') end++;
		const word = text.slice(i, end);
		i = end;
		pieces.push({
			negated,
			field,
			quoted: false,
			text: word,
			isOr: word === 'OR' && !negated && !field
		});
	}
	return pieces;
}

/** Parses a query string; never throws. */
export function parseQuery(query: string): ParsedQuery {
	const parsed: ParsedQuery = {
		clauses: [],
		excluded: [],
		filters: [],
		truncated: query.length > MAX_QUERY_LENGTH
	};
	const pieces = splitPieces(query);
	let pendingOr = false;
	let terms = 0;
	for (const piece of pieces) {
		if (terms >= MAX_QUERY_TERMS && !piece.isOr) {
			parsed.truncated = true;
			break;
		}
		if (piece.isOr) {
			pendingOr = parsed.clauses.length > 0;
			continue;
		}
		if (piece.field && piece.field in FILTER_FIELDS) {
			const value = fold(piece.text).trim();
			if (value) {
				terms++;
				const filter = { field: FILTER_FIELDS[piece.field], value };
				if (piece.negated) parsed.excluded.push(...textClauses({ ...piece, field: null }));
				else parsed.filters.push(filter);
			}
			pendingOr = false;
			continue;
		}
		let clauses = textClauses(piece);
		if (clauses.length === 0) continue;
		if (terms + clauses.length > MAX_QUERY_TERMS) {
			clauses = clauses.slice(0, MAX_QUERY_TERMS - terms);
			parsed.truncated = true;
		}
		terms += clauses.length;
		for (const clause of clauses) {
			if (clause.kind === 'phrase' && clause.tokens.length > MAX_PHRASE_WORDS) {
				clause.tokens.length = MAX_PHRASE_WORDS;
				parsed.truncated = true;
			}
		}
		if (piece.negated) {
			parsed.excluded.push(...clauses);
			pendingOr = false;
			continue;
		}
		if (pendingOr) {
			const previous = parsed.clauses.pop()!;
			const children = previous.kind === 'or' ? previous.children : [previous];
			parsed.clauses.push({ kind: 'or', children: [...children, clauses[0]] });
			parsed.clauses.push(...clauses.slice(1));
			pendingOr = false;
		} else {
			parsed.clauses.push(...clauses);
		}
	}
	return parsed;
}

function textClauses(piece: Piece): (TermClause | PhraseClause)[] {
	const field = piece.field ? (TEXT_FIELDS[piece.field] ?? null) : null;
	const typed = tokenize(piece.text);
	const tokens = typed.map((token) => token.text);
	if (piece.quoted && tokens.length > 1) return [{ kind: 'phrase', tokens, field }];
	// Words that carry no index term (stop words, lone punctuation) would match nothing.
	return typed
		.filter((token) => termsOfToken(token.text).length > 0)
		.map((token) => ({
			kind: 'term',
			token: token.text,
			field,
			acronym: ACRONYM.test(piece.text.slice(token.start, token.end))
		}));
}
