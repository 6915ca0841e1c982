/**
 * Reads a `papers/` folder: the taxonomy, one folder per edition (its `edition.yaml` and one YAML
 * per paper, each with an optional PDF beside it). Every problem becomes an issue naming the file
 * and field; a bad file is skipped and the rest still loads.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, posix, relative, isAbsolute } from 'node:path';
import { parseDocument } from 'yaml';
import type { Edition, IngestIssue, PaperSource, Taxonomy } from '../types.ts';
import { findDuplicates } from './duplicates.ts';
import { FileReport } from './fields.ts';
import { validateEdition, validatePaper, validateTaxonomy } from './schema.ts';

/** What {@link readCorpus} found: valid records, and every issue met on the way. */
export interface CorpusReadResult {
	/** Null when `taxonomy.yaml` is missing or invalid: nothing can be tagged, the ingest stops. */
	taxonomy: Taxonomy | null;
	editions: Edition[];
	papers: PaperSource[];
	issues: IngestIssue[];
}

export const TAXONOMY_FILE = 'taxonomy.yaml';
export const EDITION_FILE = 'edition.yaml';
const PAPER_EXTENSION = /\.ya?ml$/i;
const PDF_EXTENSION = /\.pdf$/i;
/** Largest YAML file read: a paper's record is a few KB, the taxonomy under 20 KB. */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Most aliases a YAML file may expand: a few anchors nested ten deep make billions of nodes. */
const MAX_YAML_ALIASES = 100;

/**
 * YAML already parsed by an earlier run, by {@link parsedYamlKey}: parsing was most of reading a
 * corpus (1.1 s of CPU for 1,000 papers), and a paper's file rarely changes between ingests.
 * Values are plain JSON data; the cache may hand the same value out again, so they are cloned.
 */
export interface ParsedYamlCache {
	get(key: string): unknown;
	set(key: string, value: unknown): void;
}

export interface ReadCorpusOptions {
	parsedYaml?: ParsedYamlCache;
}

/** The parser and its limits: YAML parsed by another version or with other limits is parsed again. */
const YAML_PARSER = `yaml@${createRequire(import.meta.url)('yaml/package.json').version} aliases<=${MAX_YAML_ALIASES}`;

/** The key of a YAML text's parsed value in a {@link ParsedYamlCache}. */
export function parsedYamlKey(text: string): string {
	return createHash('sha256').update(YAML_PARSER).update('\0').update(text).digest('hex');
}

/** Formats an issue the way reports print it: `<file>: <field>: <message>`. */
export function formatIssue(issue: IngestIssue): string {
	return [issue.file, issue.field, issue.message].filter(Boolean).join(': ');
}

/** Reads and validates the corpus in `papersDir`; never throws for bad input. */
export async function readCorpus(
	papersDir: string,
	options: ReadCorpusOptions = {}
): Promise<CorpusReadResult> {
	const result: CorpusReadResult = { taxonomy: null, editions: [], papers: [], issues: [] };
	if (!existsSync(papersDir) || !(await stat(papersDir)).isDirectory()) {
		result.issues.push({ file: papersDir, message: 'papers folder not found', severity: 'error' });
		return result;
	}
	const root = await realpath(papersDir);
	const entries = await listEntries(root, '', result.issues);
	result.taxonomy = await readTaxonomy(
		root,
		entries.some((entry) => entry.name === TAXONOMY_FILE && !entry.isDirectory),
		result.issues,
		options.parsedYaml
	);
	const topicIds = result.taxonomy ? new Set(result.taxonomy.topics.map((t) => t.id)) : null;

	const paperFiles = new Map<string, string>();
	for (const entry of entries) {
		if (entry.name.startsWith('_')) continue;
		if (entry.isDirectory) {
			await readEdition(root, entry.name, { topicIds, paperFiles, options }, result);
		} else if (
			entry.name !== TAXONOMY_FILE &&
			(PAPER_EXTENSION.test(entry.name) || PDF_EXTENSION.test(entry.name))
		) {
			result.issues.push({
				file: entry.name,
				message: 'not inside an edition folder (papers/<edition>/): ignored',
				severity: 'warning'
			});
		}
	}
	result.editions.sort((a, b) => b.year - a.year || a.id.localeCompare(b.id));
	for (const { first, second, reason } of findDuplicates(result.papers)) {
		result.issues.push({
			file: second.file,
			message: `${reason} as ${first.file}: is one paper listed twice? Remove one file, or correct the identifier`,
			severity: 'warning'
		});
	}
	return result;
}

async function readTaxonomy(
	papersDir: string,
	listed: boolean,
	issues: IngestIssue[],
	parsedYaml: ParsedYamlCache | undefined
): Promise<Taxonomy | null> {
	const report = new FileReport(TAXONOMY_FILE);
	const path = join(papersDir, TAXONOMY_FILE);
	if (!listed) {
		// A taxonomy.yaml that links out of papers/ was refused when the folder was listed.
		if (!existsSync(path)) {
			report.error(undefined, 'missing: the topic taxonomy is required to tag papers');
		}
		issues.push(...report.issues);
		return null;
	}
	const raw = await readYamlFile(path, report, parsedYaml);
	const taxonomy = report.failed ? null : validateTaxonomy(raw, report);
	issues.push(...report.issues);
	return taxonomy;
}

async function readEdition(
	papersDir: string,
	folder: string,
	context: {
		topicIds: ReadonlySet<string> | null;
		paperFiles: Map<string, string>;
		options: ReadCorpusOptions;
	},
	result: CorpusReadResult
): Promise<void> {
	const { topicIds, paperFiles } = context;
	const parsedYaml = context.options.parsedYaml;
	const names = (await listEntries(papersDir, folder, result.issues))
		.filter((entry) => !entry.isDirectory)
		.map((entry) => entry.name);

	const editionReport = new FileReport(posix.join(folder, EDITION_FILE));
	let edition: Edition | null = null;
	if (names.includes(EDITION_FILE)) {
		const raw = await readYamlFile(
			join(papersDir, folder, EDITION_FILE),
			editionReport,
			parsedYaml
		);
		if (!editionReport.failed) edition = validateEdition(raw, folder, editionReport);
	} else {
		editionReport.error(
			undefined,
			`missing: every edition folder needs an ${EDITION_FILE} (title, year, complete)`
		);
	}

	const pdfs = new Map(
		names
			.filter((name) => PDF_EXTENSION.test(name))
			.map((name) => [name.replace(PDF_EXTENSION, ''), name])
	);
	const yamlStems = new Set<string>();
	let skippedForEdition = 0;
	for (const name of names) {
		if (name === EDITION_FILE || !PAPER_EXTENSION.test(name)) continue;
		const id = name.replace(PAPER_EXTENSION, '');
		yamlStems.add(id);
		const file = posix.join(folder, name);
		const report = new FileReport(file);
		const raw = await readYamlFile(join(papersDir, folder, name), report, parsedYaml);
		const paper = report.failed
			? null
			: validatePaper(raw, { id, edition: folder, file, topicIds }, report);
		const earlier = paperFiles.get(id);
		if (paper && earlier) {
			report.error(
				'id',
				`duplicate paper id "${id}": also used by ${earlier} (ids must be unique across editions)`
			);
		} else if (paper) {
			paperFiles.set(id, file);
			const pdfName = pdfs.get(id);
			if (pdfName) paper.pdfPath = join(papersDir, folder, pdfName);
			if (edition) result.papers.push(paper);
			else skippedForEdition += 1;
		}
		result.issues.push(...report.issues);
	}
	for (const [stem, pdfName] of pdfs) {
		if (yamlStems.has(stem)) continue;
		result.issues.push({
			file: posix.join(folder, pdfName),
			message: `PDF without metadata: add ${stem}.yaml beside it (title, authors); not ingested`,
			severity: 'error'
		});
	}
	if (skippedForEdition > 0) {
		editionReport.error(
			undefined,
			`${skippedForEdition} paper(s) in ${folder}/ skipped until this file is fixed`
		);
	}
	result.issues.push(...editionReport.issues);
	if (edition) result.editions.push(edition);
}

interface FolderEntry {
	name: string;
	isDirectory: boolean;
}

/**
 * Lists the visible entries of `folder` (relative to the papers folder `root`, a real path),
 * sorted. Symbolic links are followed within `root` (a curator may link a PDF from another
 * edition) and refused, with an issue, when they lead out of it; dangling links are left out.
 */
async function listEntries(
	root: string,
	folder: string,
	issues: IngestIssue[]
): Promise<FolderEntry[]> {
	const dir = join(root, folder);
	const entries: FolderEntry[] = [];
	for (const name of (await readdir(dir)).sort()) {
		if (name.startsWith('.')) continue;
		const path = join(dir, name);
		if ((await lstat(path)).isSymbolicLink()) {
			const target = await realpath(path).catch(() => null);
			if (!target) continue;
			const inside = relative(root, target);
			if (inside.startsWith('..') || isAbsolute(inside)) {
				issues.push({
					file: posix.join(folder, name),
					message: 'a symbolic link to outside the papers folder: refused, not read',
					severity: 'error'
				});
				continue;
			}
		}
		const info = await stat(path).catch(() => null);
		if (info && (info.isFile() || info.isDirectory())) {
			entries.push({ name, isDirectory: info.isDirectory() });
		}
	}
	return entries;
}

/**
 * Reads and parses a YAML file; a file too large, not text, or not valid YAML is reported
 * without repeating its content, and yields undefined.
 */
async function readYamlFile(
	path: string,
	report: FileReport,
	parsedYaml: ParsedYamlCache | undefined
): Promise<unknown> {
	const { size } = await stat(path);
	if (size > MAX_YAML_BYTES) {
		report.error(
			undefined,
			`${Math.ceil(size / 1024)} KB, more than the ${MAX_YAML_BYTES / 1024} KB a YAML file may have: not read`
		);
		return undefined;
	}
	const bytes = await readFile(path);
	let text: string;
	try {
		if (bytes.includes(0)) throw new Error('NUL byte');
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		report.error(undefined, 'not a text file (binary, or not UTF-8): not read');
		return undefined;
	}
	if (!parsedYaml) return parseYaml(text, report);
	const key = parsedYamlKey(text);
	const kept = parsedYaml.get(key);
	if (kept !== undefined) return structuredClone(kept);
	const value = parseYaml(text, report);
	// Only clean parses of plain data are kept: a file with errors is parsed (and reported) again.
	if (!report.failed && isPlainData(value)) parsedYaml.set(key, structuredClone(value));
	return value;
}

/** True for what JSON keeps as it is: plain objects, arrays, strings, finite numbers, booleans, null. */
function isPlainData(value: unknown): boolean {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
	if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
	if (Array.isArray(value)) return value.every(isPlainData);
	if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
	return Object.values(value).every(isPlainData);
}

/** Parses YAML text; a syntax error is reported with its line and column, and yields undefined. */
function parseYaml(text: string, report: FileReport): unknown {
	let document: ReturnType<typeof parseDocument>;
	try {
		document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
	} catch {
		// The parser recurses: thousands of nested brackets exhaust its stack.
		report.error(undefined, 'malformed YAML: it cannot be read as data');
		return undefined;
	}
	if (document.errors.length === 0) {
		try {
			return document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
		} catch (error) {
			const excessive = /alias count/i.test((error as Error).message);
			report.error(
				undefined,
				excessive
					? `malformed YAML: its aliases expand too far (more than ${MAX_YAML_ALIASES}; a YAML bomb?)`
					: 'malformed YAML: it cannot be read as data'
			);
			return undefined;
		}
	}
	for (const error of document.errors) {
		const position = error.linePos?.[0];
		const where = position ? `line ${position.line}, column ${position.col}` : undefined;
		const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
		// YAML's messages may quote the text they stumbled on; a long quote is cut.
		report.error(
			where,
			`malformed YAML: ${message.length > 120 ? `${message.slice(0, 120)}…` : message}`
		);
	}
	return undefined;
}
