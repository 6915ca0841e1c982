/**
 * RIS (the tagged format EndNote, Zotero and Mendeley import): writing a paper as a `CPAPER`
 * record and a small reader used by the tests to round-trip it.
 *
 * Pure: no Node APIs, relative imports only.
 */
import type { Edition, Paper } from '../types.ts';
import { invertedName } from './names.ts';

/** One RIS record: tag → values in the order they appeared. */
export type RisRecord = Record<string, string[]>;

/** RIS is line-based: a value must not contain a line break. */
function oneLine(value: string): string {
	return value.replace(/\s+/g, ' ').trim();
}

/** One paper as a RIS record ending in `ER  - `, lines separated by CRLF as the format asks. */
export function paperToRis(paper: Paper, edition: Edition | undefined, pageUrl?: string): string {
	const lines: string[] = [];
	const add = (tag: string, value: string | number | null | undefined) => {
		if (value === null || value === undefined || value === '') return;
		lines.push(`${tag}  - ${oneLine(String(value))}`);
	};
	add('TY', 'CPAPER');
	add('ID', paper.id);
	add('TI', paper.title);
	for (const author of paper.authors) add('AU', invertedName(author.name));
	for (const editor of edition?.editors ?? []) add('A2', invertedName(editor));
	add('PY', paper.year);
	if (edition?.date) add('DA', edition.date.replace(/-/g, '/'));
	add('T2', edition?.title);
	add('T3', edition?.series);
	add('VL', edition?.volume);
	add('CY', edition?.location);
	if (paper.pages) {
		const [first, last] = paper.pages.split(/\s*[-–—]+\s*/);
		add('SP', first);
		add('EP', last);
	}
	add('DO', paper.doi);
	add('UR', paper.url ?? (paper.doi ? `https://doi.org/${paper.doi}` : pageUrl));
	if (paper.arxiv) add('L1', `https://arxiv.org/pdf/${paper.arxiv}`);
	for (const keyword of paper.keywords) add('KW', keyword);
	add('AB', paper.abstract);
	add('N1', paper.award);
	lines.push('ER  - ');
	return lines.join('\r\n') + '\r\n';
}

/** Reads RIS text into records (tags upper-case; continuation lines appended to the last value). */
export function parseRis(text: string): RisRecord[] {
	const records: RisRecord[] = [];
	let current: RisRecord | null = null;
	let lastTag: string | null = null;
	for (const line of text.replace(/^\ufeff/, '').split(/\r?\n/)) {
		const match = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/.exec(line);
		if (!match) {
			if (current && lastTag && line.trim()) {
				const values = current[lastTag];
				values[values.length - 1] += ` ${line.trim()}`;
			}
			continue;
		}
		const [, tag, value = ''] = match;
		if (tag === 'TY') {
			current = {};
			records.push(current);
		}
		if (!current) continue;
		if (tag === 'ER') {
			current = null;
			lastTag = null;
			continue;
		}
		(current[tag] ??= []).push(value.trim());
		lastTag = tag;
	}
	return records;
}
