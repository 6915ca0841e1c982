/**
 * The issues of one corpus file (`<file>: <field>: <what is wrong>`), and the words messages use
 * to name what YAML gave.
 */
import type { IngestIssue } from '../types.ts';

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
