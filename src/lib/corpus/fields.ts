/**
 * Small typed readers for the fields of one YAML record. Each reader checks one value and, when
 * it is wrong, records an issue `<file>: <field>: <what is wrong>`; the record is then invalid.
 */
import type { IngestIssue } from '../types.ts';
import { nearestKey } from './identifiers.ts';

/** Collects the issues of one file; `failed` tells whether any of them is an error. */
export class FileReport {
	readonly issues: IngestIssue[] = [];

	constructor(readonly file: string) {}

	error(field: string | undefined, message: string): void {
		this.issues.push({ file: this.file, field, message, severity: 'error' });
	}

	warning(field: string | undefined, message: string): void {
		this.issues.push({ file: this.file, field, message, severity: 'warning' });
	}

	get failed(): boolean {
		return this.issues.some((issue) => issue.severity === 'error');
	}
}

/** A YAML mapping, as parsed. */
export type Fields = Record<string, unknown>;

export function isMapping(value: unknown): value is Fields {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names a value's type the way a YAML author would think of it. */
export function describeType(value: unknown): string {
	if (value === null || value === undefined) return 'empty';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'a mapping';
	if (typeof value === 'string') return 'text';
	if (typeof value === 'number') return `a number (${value})`;
	if (typeof value === 'boolean') return `${value}`;
	return typeof value;
}

/** Longest key name an issue repeats: a longer one is cut, so a report never echoes a file. */
const MAX_KEY_SHOWN = 40;

/**
 * Reports every key of `fields` that is not in `known`, suggesting the nearest known key. A
 * mapping of which no key is known (some other file: a password list read as YAML) is reported
 * once, without repeating its keys.
 */
export function checkKeys(
	report: FileReport,
	fields: Fields,
	known: readonly string[],
	prefix = ''
): void {
	const unknown = Object.keys(fields).filter((key) => !known.includes(key));
	if (unknown.length >= 3 && unknown.length === Object.keys(fields).length) {
		report.error(
			prefix ? prefix.replace(/\.$/, '') : undefined,
			`none of its ${unknown.length} keys is one Glassbox knows (known keys: ${known.join(', ')}): not read`
		);
		return;
	}
	for (const key of unknown) {
		const suggestion = nearestKey(key, known);
		const shown = key.replace(/\p{Cc}/gu, '?');
		report.error(
			prefix + (shown.length > MAX_KEY_SHOWN ? `${shown.slice(0, MAX_KEY_SHOWN)}…` : shown),
			suggestion
				? `unknown key (did you mean "${suggestion}"?)`
				: `unknown key (known keys: ${known.join(', ')})`
		);
	}
}

/** Reads optional text; numbers are refused so that YAML's silent conversions never slip by. */
export function optionalText(
	report: FileReport,
	fields: Fields,
	key: string,
	field = key
): string | undefined {
	const value = fields[key];
	if (value === undefined || value === null) return undefined;
	if (typeof value !== 'string') {
		report.error(field, `must be text, not ${describeType(value)}`);
		return undefined;
	}
	const trimmed = value.trim();
	if (!trimmed) {
		report.error(field, 'is empty');
		return undefined;
	}
	return trimmed;
}

/** Reads required non-empty text. */
export function requiredText(
	report: FileReport,
	fields: Fields,
	key: string,
	field = key
): string | undefined {
	if (fields[key] === undefined || fields[key] === null) {
		report.error(field, 'is required');
		return undefined;
	}
	return optionalText(report, fields, key, field);
}

/** Reads an optional list of non-empty texts. */
export function optionalTextList(
	report: FileReport,
	fields: Fields,
	key: string,
	field = key
): string[] | undefined {
	const value = fields[key];
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) {
		report.error(field, `must be a list of texts, not ${describeType(value)}`);
		return undefined;
	}
	const texts: string[] = [];
	value.forEach((item, index) => {
		if (typeof item !== 'string') {
			report.error(`${field}[${index}]`, `must be text, not ${describeType(item)}`);
		} else if (!item.trim()) {
			report.error(`${field}[${index}]`, 'is empty');
		} else {
			texts.push(item.trim());
		}
	});
	return texts;
}

/** Reads an optional http(s) URL. */
export function optionalUrl(report: FileReport, fields: Fields, key: string): string | undefined {
	const text = optionalText(report, fields, key);
	if (text === undefined) return undefined;
	if (!/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(text)) {
		report.error(key, `"${text}" is not an http(s) URL`);
		return undefined;
	}
	return text;
}
