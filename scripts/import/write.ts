/**
 * Turning imported papers into `papers/<edition>/<id>.yaml`: stable ids, matching against the
 * papers already there (by DOI, arXiv id or folded title), a field-by-field diff, and writing
 * only new files unless `--force`. Fields a curator added by hand (topics, code, notes, …)
 * survive a forced re-import.
 */
import { PAPER_KEYS } from '../../src/lib/corpus/schema.ts';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../src/lib/server/data-dir.ts';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { splitName } from '../../src/lib/cite/names.ts';
import { fold } from '../../src/lib/text/normalise.ts';
import { duplicateReason } from '../../src/lib/corpus/duplicates.ts';
import type { ImportedPaper } from './record.ts';

/** `conflict`: a new file for a paper another edition already lists (written only with --force). */
export type PlanStatus = 'new' | 'unchanged' | 'changed' | 'duplicate' | 'conflict';

interface PlannedFile {
	id: string;
	/** Path relative to the papers directory. */
	file: string;
	origin: string;
	status: PlanStatus;
	/** The YAML that would be written. */
	yaml: string;
	/** For `changed`: one line per differing field. */
	diff: string[];
	/** For `duplicate`: the origin of the record it repeats; for `conflict`: the file that lists it. */
	duplicateOf?: string;
	/** For `conflict`: why it is taken for the same paper (`the same DOI …`). */
	reason?: string;
}

interface ImportPlan {
	edition: string;
	editionExists: boolean;
	files: PlannedFile[];
}

const TITLE_STOP_WORDS = new Set(
	'a an the of on in for to from and with via by towards toward is are using based'.split(' ')
);

function slugWords(text: string): string[] {
	return fold(text)
		.split(/[^a-z0-9]+/)
		.filter(Boolean);
}

/** A readable, stable id: first author's family name, two title words, the year. */
export function paperIdFor(paper: Pick<ImportedPaper, 'authors' | 'title'>, year: number): string {
	const family = slugWords(splitName(paper.authors[0]?.name ?? '').family).join('-');
	const words = slugWords(paper.title)
		.filter((w) => !TITLE_STOP_WORDS.has(w))
		.slice(0, 2);
	return [family, ...words, String(year)].filter(Boolean).join('-').slice(0, 80).replace(/-+$/, '');
}

/** Keys that identify the same paper across exports. */
function identityKeys(record: { doi?: unknown; arxiv?: unknown; title?: unknown }): string[] {
	const keys: string[] = [];
	if (typeof record.doi === 'string') keys.push(`doi:${record.doi.toLowerCase()}`);
	if (typeof record.arxiv === 'string') keys.push(`arxiv:${record.arxiv.replace(/v\d+$/, '')}`);
	if (typeof record.title === 'string') keys.push(`title:${slugWords(record.title).join(' ')}`);
	return keys;
}

/** The YAML fields of an imported paper, in the corpus's usual order. */
function paperFields(paper: ImportedPaper): Record<string, unknown> {
	const fields: Record<string, unknown> = {
		title: paper.title,
		authors: paper.authors.map((a) => (a.affiliation || a.orcid ? { ...a } : a.name))
	};
	for (const key of [
		'type',
		'award',
		'abstract',
		'keywords',
		'doi',
		'arxiv',
		'url',
		'pages',
		'pdf_url',
		'license'
	] as const) {
		const value = paper[key];
		if (value !== undefined && !(Array.isArray(value) && value.length === 0)) fields[key] = value;
	}
	fields.sources = paper.sources;
	return fields;
}

/** Written in the order the corpus format documents its keys. */
const FIELD_ORDER: readonly string[] = PAPER_KEYS;

function ordered(fields: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const key of FIELD_ORDER) if (fields[key] !== undefined) out[key] = fields[key];
	for (const key of Object.keys(fields)) if (!(key in out)) out[key] = fields[key];
	return out;
}

function toYaml(fields: Record<string, unknown>): string {
	return stringify(fields, { lineWidth: 100 });
}

function show(value: unknown): string {
	return value === undefined ? '(none)' : JSON.stringify(value);
}

interface ExistingPaper {
	id: string;
	file: string;
	fields: Record<string, unknown>;
}

async function readExisting(papersDir: string): Promise<ExistingPaper[]> {
	const existing: ExistingPaper[] = [];
	if (!existsSync(papersDir)) return existing;
	for (const entry of await readdir(papersDir, { withFileTypes: true })) {
		if (!entry.isDirectory()) continue;
		for (const name of await readdir(join(papersDir, entry.name))) {
			if (!name.endsWith('.yaml') || name === 'edition.yaml') continue;
			try {
				const fields = parseYaml(await readFile(join(papersDir, entry.name, name), 'utf8'));
				existing.push({
					id: name.slice(0, -'.yaml'.length),
					file: `${entry.name}/${name}`,
					fields: fields && typeof fields === 'object' ? fields : {}
				});
			} catch {
				// A broken file still holds its id; the ingest reports what is wrong with it.
				existing.push({
					id: name.slice(0, -'.yaml'.length),
					file: `${entry.name}/${name}`,
					fields: {}
				});
			}
		}
	}
	return existing;
}

/**
 * Decides, for each imported paper, which file it becomes and whether that is new, unchanged,
 * changed (with a diff) or a duplicate of an earlier entry in the same import.
 */
export async function planImport(
	papers: ImportedPaper[],
	papersDir: string,
	edition: string,
	year: number
): Promise<ImportPlan> {
	const existing = await readExisting(papersDir);
	const takenIds = new Set(existing.map((p) => p.id));
	const existingByKey = new Map<string, ExistingPaper>();
	for (const paper of existing.filter((p) => p.file.startsWith(`${edition}/`))) {
		for (const key of identityKeys(paper.fields)) existingByKey.set(key, paper);
	}
	const seenInImport = new Map<string, PlannedFile>();
	const files: PlannedFile[] = [];
	for (const paper of papers) {
		const fields = paperFields(paper);
		const keys = identityKeys(fields);
		const earlier = keys.map((key) => seenInImport.get(key)).find(Boolean);
		if (earlier) {
			files.push({
				id: earlier.id,
				file: earlier.file,
				origin: paper.origin,
				status: 'duplicate',
				yaml: toYaml(ordered(fields)),
				diff: [],
				duplicateOf: earlier.origin
			});
			continue;
		}
		const match = keys.map((key) => existingByKey.get(key)).find(Boolean);
		let planned: PlannedFile;
		if (match) {
			// Hand-added fields stay; sources accumulate.
			const merged = ordered({
				...match.fields,
				...fields,
				sources: [
					...new Set([
						...((Array.isArray(match.fields.sources) ? match.fields.sources : []) as string[]),
						...paper.sources
					])
				]
			});
			const diff = Object.keys(merged)
				.filter((key) => key !== 'sources')
				.filter((key) => JSON.stringify(merged[key]) !== JSON.stringify(match.fields[key]))
				.map((key) => `${key}: ${show(match.fields[key])} → ${show(merged[key])}`);
			planned = {
				id: match.id,
				file: match.file,
				origin: paper.origin,
				status: diff.length ? 'changed' : 'unchanged',
				yaml: toYaml(merged),
				diff
			};
		} else {
			const base = paperIdFor(paper, year);
			let id = base;
			for (let n = 2; takenIds.has(id); n++) id = `${base}-${n}`;
			takenIds.add(id);
			// Another edition listing the same paper is more likely a wrong --edition than a reprint.
			const elsewhere = existing
				.filter((other) => !other.file.startsWith(`${edition}/`))
				.map((other) => ({
					other,
					reason: duplicateReason({ file: '', ...fields }, { file: other.file, ...other.fields })
				}))
				.find(({ reason }) => reason);
			planned = {
				id,
				file: `${edition}/${id}.yaml`,
				origin: paper.origin,
				status: elsewhere ? 'conflict' : 'new',
				yaml: toYaml(ordered(fields)),
				diff: [],
				...(elsewhere && { duplicateOf: elsewhere.other.file, reason: elsewhere.reason! })
			};
		}
		files.push(planned);
		for (const key of keys) seenInImport.set(key, planned);
	}
	return {
		edition,
		editionExists: existsSync(join(papersDir, edition, 'edition.yaml')),
		files
	};
}

/**
 * Writes the plan: new files always, changed files and conflicts only with `force`; never a
 * duplicate.
 * Each file is written to a temp name and renamed, so an interrupted import leaves no half file.
 */
export async function applyImport(
	plan: ImportPlan,
	papersDir: string,
	options: { force?: boolean } = {}
): Promise<{ written: string[]; kept: string[] }> {
	const written: string[] = [];
	const kept: string[] = [];
	await mkdir(join(papersDir, plan.edition), { recursive: true });
	for (const file of plan.files) {
		const forced = (file.status === 'changed' || file.status === 'conflict') && options.force;
		if (file.status === 'new' || forced) {
			await writeFileAtomic(join(papersDir, file.file), file.yaml);
			written.push(file.file);
		} else if (file.status === 'changed') kept.push(file.file);
	}
	return { written, kept };
}
