/**
 * CSV → imported papers, for the accepted-papers export of a conference management system
 * (CMT, EasyChair, OpenReview, a spreadsheet). Columns are found by their header names, case and
 * punctuation ignored; see `COLUMN_NAMES` (documented in scripts/import/README.md).
 */
import { basename } from 'node:path';
import { normaliseText } from '../../src/lib/text/normalise.ts';
import type { Author } from '../../src/lib/types.ts';
import {
	bareDoi,
	cleanPages,
	findArxivId,
	presentationType,
	splitKeywords,
	validateIdentifiers
} from './clean.ts';
import type { ImportedPaper, ImportProblem, ImportReadResult } from './record.ts';

/** Paper field → header names that mean it (compared lower-case, letters and digits only). */
const COLUMN_NAMES = {
	id: ['paper id', 'paperid', 'submission id', 'submission', 'id', '#', 'number', 'paper number'],
	title: ['title', 'paper title', 'submission title'],
	authors: ['authors', 'author names', 'author list', 'author', 'authors names'],
	affiliations: ['affiliations', 'author affiliations'],
	abstract: ['abstract', 'paper abstract'],
	keywords: ['keywords', 'author keywords', 'subject areas', 'topics'],
	type: ['type', 'presentation', 'presentation type', 'session', 'format', 'track'],
	decision: ['decision', 'status', 'acceptance'],
	award: ['award', 'awards'],
	doi: ['doi'],
	arxiv: ['arxiv', 'arxiv id', 'preprint'],
	url: ['url', 'link', 'paper url'],
	pages: ['pages', 'page range'],
	pdf_url: ['pdf', 'pdf url', 'pdf link'],
	license: ['license', 'licence']
} as const;

type Column = keyof typeof COLUMN_NAMES;

const squash = (header: string) => header.toLowerCase().replace(/[^a-z0-9#]/g, '');

/**
 * Parses CSV (RFC 4180: quoted fields with commas, doubled quotes and line breaks), with a
 * byte-order mark or not; the delimiter (comma, semicolon or tab) is taken from the header line.
 */
export function parseCsv(text: string): string[][] {
	const source = text.replace(/^\ufeff/, '');
	const headerLine = source.split(/\r?\n/, 1)[0] ?? '';
	const delimiter = [',', ';', '\t'].sort(
		(a, b) => headerLine.split(b).length - headerLine.split(a).length
	)[0];
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < source.length; i++) {
		const ch = source[i];
		if (quoted) {
			if (ch === '"' && source[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
			continue;
		}
		if (ch === '"' && field === '') quoted = true;
		else if (ch === delimiter) {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && source[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length) {
		row.push(field);
		rows.push(row);
	}
	return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/**
 * Splits an author cell: "A; B; C", or "A, B and C"; a trailing "*" (corresponding author) is
 * dropped and "Name (Affiliation)" keeps the affiliation.
 */
export function splitAuthors(cell: string): Author[] {
	const text = normaliseText(cell);
	if (!text) return [];
	const parts = text.includes(';') ? text.split(';') : text.split(/,\s*(?![^()]*\))|\s+and\s+/);
	return parts
		.map((part) => part.replace(/\*/g, '').trim())
		.filter(Boolean)
		.map((part) => {
			const match = /^(.*?)\s*\((.+)\)$/.exec(part);
			return match ? { name: match[1].trim(), affiliation: match[2].trim() } : { name: part };
		});
}

/** Reads a CSV export; `file` names the source in reports and in each paper's `sources`. */
export function readCsvExport(text: string, file: string): ImportReadResult {
	const name = basename(file);
	const rows = parseCsv(text);
	const problems: ImportProblem[] = [];
	const papers: ImportedPaper[] = [];
	if (rows.length === 0) {
		problems.push({ origin: name, message: 'the file is empty', effect: 'skipped' });
		return { papers, problems };
	}
	const [header, ...body] = rows;
	const columnOf = new Map<Column, number>();
	header.forEach((cell, index) => {
		const key = squash(cell);
		const column = (Object.keys(COLUMN_NAMES) as Column[]).find(
			(c) =>
				!columnOf.has(c) && (COLUMN_NAMES[c] as readonly string[]).some((n) => squash(n) === key)
		);
		if (column) columnOf.set(column, index);
		else if (cell.trim()) {
			problems.push({
				origin: `${name} header`,
				message: `column "${cell.trim()}" is not mapped to any paper field (ignored)`,
				effect: 'dropped'
			});
		}
	});
	for (const required of ['title', 'authors'] as const) {
		if (!columnOf.has(required)) {
			problems.push({
				origin: `${name} header`,
				message: `no ${required} column (expected one of: ${COLUMN_NAMES[required].join(', ')})`,
				effect: 'skipped'
			});
		}
	}
	if (!columnOf.has('title') || !columnOf.has('authors')) return { papers, problems };

	body.forEach((cells, index) => {
		const rowNumber = index + 2;
		const get = (column: Column) => {
			const at = columnOf.get(column);
			return at === undefined ? '' : (cells[at] ?? '').trim();
		};
		const submission = get('id');
		const origin = `${name} row ${rowNumber}${submission ? ` (#${submission})` : ''}`;
		const skip = (message: string) => problems.push({ origin, message, effect: 'skipped' });
		const decision = get('decision');
		if (decision && /reject|withdraw|desk/i.test(decision)) {
			skip(`not accepted (decision "${decision}")`);
			return;
		}
		const title = normaliseText(get('title'));
		if (!title) return skip('no title');
		const authors = splitAuthors(get('authors'));
		if (!authors.length) return skip('no authors');
		const affiliations = get('affiliations');
		if (affiliations) {
			const list = affiliations.split(';').map((a) => normaliseText(a));
			authors.forEach((author, i) => {
				if (!author.affiliation && list[i]) author.affiliation = list[i];
			});
		}
		const paper: ImportedPaper = {
			title,
			authors,
			sources: [`${name} (row ${rowNumber}${submission ? `, submission ${submission}` : ''})`],
			origin
		};
		const type = get('type');
		if (type) {
			const mapped = presentationType(type);
			if (mapped) paper.type = mapped;
			else
				problems.push({
					origin,
					message: `type: "${type}" is not oral, poster, keynote or invited`,
					effect: 'dropped'
				});
		}
		if (get('award')) paper.award = normaliseText(get('award'));
		if (get('abstract')) paper.abstract = normaliseText(get('abstract'));
		if (get('keywords')) paper.keywords = splitKeywords(get('keywords'));
		if (get('doi')) paper.doi = bareDoi(get('doi'));
		if (get('arxiv')) {
			const arxiv = findArxivId(get('arxiv'));
			if (arxiv) paper.arxiv = arxiv;
			else
				problems.push({
					origin,
					message: `arxiv: "${get('arxiv')}" is not an arXiv id or URL`,
					effect: 'dropped'
				});
		}
		if (get('url')) paper.url = get('url');
		if (get('pages')) paper.pages = cleanPages(get('pages'));
		if (get('pdf_url')) paper.pdf_url = get('pdf_url');
		if (get('license')) paper.license = normaliseText(get('license'));
		papers.push(validateIdentifiers(paper, problems));
	});
	return { papers, problems };
}
