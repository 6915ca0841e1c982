/**
 * BibTeX: writing a paper (or a whole edition) as `@inproceedings` entries, and a tolerant
 * parser for what DBLP, Springer and our own exports produce. The parser is used by the import
 * script and by the tests that round-trip every export.
 *
 * Pure: no Node APIs, relative imports only.
 */
import type { Edition, Paper } from '../types.ts';
import { decodeLatex, encodeLatex } from './latex.ts';
import { displayName, invertedName, splitName } from './names.ts';
import { fold } from '../text/normalise.ts';

export interface BibtexEntry {
	/** Lower-case entry type: `inproceedings`, `article`, … */
	type: string;
	key: string;
	/** Field values decoded to plain Unicode, keyed by lower-case field name. */
	fields: Record<string, string>;
	/** Field values as written (braces and LaTeX kept), for diagnostics. */
	raw: Record<string, string>;
	/** 1-based line where the entry starts, for error messages. */
	line: number;
}

export interface BibtexParseResult {
	entries: BibtexEntry[];
	/** Problems that made the parser skip text, as `line N: message`. */
	errors: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Words whose capitals BibTeX styles must not lower-case: acronyms and CamelCase names. */
function protectCapitals(encodedTitle: string): string {
	return encodedTitle.replace(
		/(?<![\\\w{])([\p{L}\p{N}]*\p{Lu}[\p{L}\p{N}-]*\p{Lu}[\p{L}\p{N}]*)/gu,
		'{$1}'
	);
}

/** Folds a word to plain ASCII letters and digits for a citation key. */
function keyPart(text: string): string {
	return fold(text).replace(/[^a-z0-9]/g, '');
}

const TITLE_STOP_WORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'from', 'and']);

/** A conventional citation key: first author's family name, year, first significant title word. */
export function bibtexKey(paper: Pick<Paper, 'authors' | 'year' | 'title' | 'id'>): string {
	const family = paper.authors[0] ? keyPart(splitName(paper.authors[0].name).family) : '';
	const titleWord =
		paper.title
			.split(/[\s:,-]+/)
			.map(keyPart)
			.find((word) => word && !TITLE_STOP_WORDS.has(word)) ?? '';
	const key = `${family}${paper.year}${titleWord}`;
	return key || keyPart(paper.id) || 'paper';
}

/** The pages field the way BibTeX writes ranges (`12--24`). */
function bibtexPages(pages: string): string {
	return pages.replace(/\s*[-–—]+\s*/, '--');
}

function field(name: string, value: string): string {
	return `  ${name.padEnd(9)} = {${value}}`;
}

export interface BibtexOptions {
	/** Overrides the generated key (used to keep keys unique inside an edition file). */
	key?: string;
	/** Absolute URL of the paper's page on this site, used when the paper has no URL or DOI. */
	pageUrl?: string;
}

/** One paper as an `@inproceedings` entry, LaTeX-escaped, with a trailing newline. */
export function paperToBibtex(
	paper: Paper,
	edition: Edition | undefined,
	options: BibtexOptions = {}
): string {
	const lines: string[] = [];
	const add = (name: string, value: string | number | null | undefined, encode = true) => {
		if (value === null || value === undefined || value === '') return;
		lines.push(field(name, encode ? encodeLatex(String(value)) : String(value)));
	};
	lines.push(field('title', protectCapitals(encodeLatex(paper.title))));
	add('author', paper.authors.map((a) => encodeLatex(invertedName(a.name))).join(' and '), false);
	if (edition) {
		add('booktitle', edition.title);
		if (edition.editors?.length) {
			add('editor', edition.editors.map((e) => encodeLatex(invertedName(e))).join(' and '), false);
		}
		add('series', edition.series);
		add('volume', edition.volume);
		add('address', edition.location);
	}
	if (paper.pages) add('pages', bibtexPages(paper.pages), false);
	add('year', paper.year);
	const month = edition?.date ? Number(edition.date.slice(5, 7)) : NaN;
	if (month >= 1 && month <= 12) lines.push(`  ${'month'.padEnd(9)} = ${MONTHS[month - 1]}`);
	add('doi', paper.doi);
	add('url', paper.url ?? (paper.doi ? `https://doi.org/${paper.doi}` : options.pageUrl));
	if (paper.arxiv) {
		add('eprint', paper.arxiv);
		add('archiveprefix', 'arXiv');
	}
	if (paper.keywords.length) add('keywords', paper.keywords.join(', '));
	add('note', paper.award);
	add('abstract', paper.abstract);
	return `@inproceedings{${options.key ?? bibtexKey(paper)},\n${lines.join(',\n')}\n}\n`;
}

/** Every paper of an edition in one file; keys made unique with a, b, c suffixes. */
export function editionToBibtex(papers: Paper[], edition: Edition | undefined): string {
	const used = new Map<string, number>();
	const entries = papers.map((paper) => {
		const base = bibtexKey(paper);
		const seen = used.get(base) ?? 0;
		used.set(base, seen + 1);
		const key = seen === 0 ? base : `${base}${String.fromCharCode(97 + ((seen - 1) % 26))}`;
		return paperToBibtex(paper, edition, { key });
	});
	const header = edition ? `% ${edition.title}\n% ${papers.length} papers\n\n` : '';
	return header + entries.join('\n');
}

// ---------------------------------------------------------------- parser

/**
 * Parses BibTeX text into entries. Understands braced and quoted values, numbers, `@string`
 * macros, month names and `#` concatenation; skips `@comment` and `@preamble`; an unreadable
 * entry is reported in `errors` and parsing resumes at the next `@`.
 */
export function parseBibtex(text: string): BibtexParseResult {
	const entries: BibtexEntry[] = [];
	const errors: string[] = [];
	const macros: Record<string, string> = Object.fromEntries(
		MONTHS.map((name, i) => [name, String(i + 1)])
	);
	let at = 0;
	const lineOf = (index: number) => text.slice(0, index).split('\n').length;

	const skipSpace = () => {
		while (at < text.length && /\s/.test(text[at])) at++;
	};
	const fail = (message: string): never => {
		throw new Error(message);
	};
	const readBalanced = (open: string, close: string): string => {
		// Caller stands on the opening delimiter.
		let depth = 0;
		const start = at;
		for (; at < text.length; at++) {
			const ch = text[at];
			if (ch === '\\') {
				at++;
				continue;
			}
			if (ch === '{') depth++;
			else if (ch === '}') depth--;
			if (open === '"' && ch === '"' && depth === 0 && at > start) {
				at++;
				return text.slice(start + 1, at - 1);
			}
			if (open === '{' && depth === 0) {
				at++;
				return text.slice(start + 1, at - 1);
			}
			if (depth < 0) fail('unbalanced braces');
		}
		return fail(`unterminated value (expected ${close})`);
	};
	const readName = (): string => {
		const match = /^[^\s,={}#"()]+/.exec(text.slice(at));
		if (!match) fail(`expected a name, found "${text.slice(at, at + 10)}"`);
		at += match![0].length;
		return match![0];
	};
	const readValue = (): string => {
		const parts: string[] = [];
		for (;;) {
			skipSpace();
			const ch = text[at];
			if (ch === '{') parts.push(readBalanced('{', '}'));
			else if (ch === '"') parts.push(readBalanced('"', '"'));
			else if (/[0-9]/.test(ch ?? '')) parts.push(readName());
			else {
				const name = readName().toLowerCase();
				if (macros[name] === undefined) fail(`unknown macro "${name}"`);
				parts.push(macros[name]);
			}
			skipSpace();
			if (text[at] !== '#') return parts.join('');
			at++;
		}
	};

	while (at < text.length) {
		const next = text.indexOf('@', at);
		if (next < 0) break;
		at = next + 1;
		const entryStart = next;
		try {
			const type = readName().toLowerCase();
			skipSpace();
			const open = text[at];
			if (open !== '{' && open !== '(') fail(`@${type}: expected "{" after the entry type`);
			const close = open === '{' ? '}' : ')';
			at++;
			if (type === 'comment' || type === 'preamble') {
				at = entryStart + 1;
				continue;
			}
			skipSpace();
			if (type === 'string') {
				const name = readName().toLowerCase();
				skipSpace();
				if (text[at] !== '=') fail(`@string ${name}: expected "="`);
				at++;
				macros[name] = readValue();
				skipSpace();
				if (text[at] === close) at++;
				continue;
			}
			const key = readName();
			const raw: Record<string, string> = {};
			for (;;) {
				skipSpace();
				if (text[at] === ',') {
					at++;
					skipSpace();
				}
				if (text[at] === close) {
					at++;
					break;
				}
				if (at >= text.length) fail(`@${type}{${key}: missing closing "${close}"`);
				const name = readName().toLowerCase();
				skipSpace();
				if (text[at] !== '=') fail(`@${type}{${key}: field "${name}": expected "="`);
				at++;
				raw[name] = readValue();
			}
			const fields: Record<string, string> = {};
			for (const [name, value] of Object.entries(raw)) {
				fields[name] = decodeLatex(value).replace(/\s+/g, ' ').trim();
			}
			entries.push({ type, key, fields, raw, line: lineOf(entryStart) });
		} catch (error) {
			// The entry's first line is where a curator starts looking.
			errors.push(`line ${lineOf(entryStart)}: ${(error as Error).message}`);
			at = entryStart + 1;
		}
	}
	return { entries, errors };
}

/** Splits a BibTeX `author`/`editor` value on top-level " and " into display-order names. */
export function parseBibtexNames(rawValue: string): string[] {
	const names: string[] = [];
	let depth = 0;
	let current = '';
	const words = rawValue.split(/(\s+)/);
	for (const word of words) {
		for (const ch of word) {
			if (ch === '{') depth++;
			if (ch === '}') depth--;
		}
		if (depth === 0 && /^and$/i.test(word)) {
			names.push(current);
			current = '';
		} else current += word;
	}
	names.push(current);
	return names
		.map((name) => decodeLatex(name).replace(/\s+/g, ' ').trim())
		.filter((name) => name && name.toLowerCase() !== 'others')
		.map(displayName);
}
