/**
 * `npm run import -- <file> --edition <id> [--papers <dir>] [--force] [--dry-run]`
 *
 * Writes `papers/<edition>/<id>.yaml` for each paper of a BibTeX or CSV export. Never replaces
 * an existing file silently: changed papers are shown as a diff and kept unless `--force`.
 * Exit status: 0 done; 2 done, but some entries were not imported or files were kept; 1 nothing
 * could be imported (bad arguments, unreadable file), or a paper is already in another edition.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { parseArgs as parseCommandLine } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { readBibtexExport } from './bibtex.ts';
import { readCsvExport } from './csv.ts';
import type { ImportReadResult } from './record.ts';
import { applyImport, planImport } from './write.ts';

interface ImportOptions {
	file: string;
	edition: string;
	papersDir: string;
	force: boolean;
	dryRun: boolean;
	format?: 'bibtex' | 'csv';
}

const USAGE =
	'usage: npm run import -- <file.bib|file.csv> --edition <id> [--papers <dir>] [--force] [--dry-run] [--format bibtex|csv]';

/** Reads the command line (`process.argv.slice(2)`) into import options; throws with the usage. */
export function parseArgs(argv: string[]): ImportOptions {
	let parsed;
	try {
		parsed = parseCommandLine({
			args: argv,
			allowPositionals: true,
			options: {
				edition: { type: 'string' },
				papers: { type: 'string' },
				force: { type: 'boolean', default: false },
				'dry-run': { type: 'boolean', default: false },
				format: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${USAGE}`);
	}
	const { values, positionals } = parsed;
	if (values.help) throw new Error(USAGE);
	const [file, ...extra] = positionals;
	if (extra.length)
		throw new Error(`one file at a time (got "${file}" and "${extra[0]}")\n${USAGE}`);
	if (!file) throw new Error(`no file given\n${USAGE}`);
	const { edition, format } = values;
	if (!edition) throw new Error(`--edition is required\n${USAGE}`);
	if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(edition))
		throw new Error(`--edition: "${edition}" must be lower-case letters, digits and hyphens`);
	if (format !== undefined && format !== 'bibtex' && format !== 'csv')
		throw new Error(`--format: "${format}" is not bibtex or csv`);
	return {
		file,
		edition,
		papersDir: values.papers ?? process.env.PAPERS_DIR ?? 'papers',
		force: values.force,
		dryRun: values['dry-run'],
		format
	};
}

/** The edition's year: from its edition.yaml, else the four digits in its id. */
function editionYear(papersDir: string, edition: string): number | null {
	const file = join(papersDir, edition, 'edition.yaml');
	if (existsSync(file)) {
		const year = (parseYaml(readFileSync(file, 'utf8')) as { year?: unknown } | null)?.year;
		if (typeof year === 'number') return year;
	}
	const digits = /(19|20)\d{2}/.exec(edition);
	return digits ? Number(digits[0]) : null;
}

/** Runs an import and prints its report; returns the exit status. */
export async function runImport(
	options: ImportOptions,
	out: Pick<NodeJS.WritableStream, 'write'> = process.stdout
): Promise<0 | 1 | 2> {
	const say = (line = '') => out.write(`${line}\n`);
	const papersDir = resolve(options.papersDir);
	let text: string;
	try {
		text = await readFile(options.file, 'utf8');
	} catch (error) {
		say(`${options.file}: cannot read: ${(error as Error).message}`);
		return 1;
	}
	const year = editionYear(papersDir, options.edition);
	if (year === null) {
		say(`--edition ${options.edition}: no edition.yaml with a year and no year in the id`);
		return 1;
	}
	const format =
		options.format ??
		(['.csv', '.tsv', '.txt'].includes(extname(options.file).toLowerCase()) ? 'csv' : 'bibtex');
	const read: ImportReadResult =
		format === 'csv' ? readCsvExport(text, options.file) : readBibtexExport(text, options.file);
	const plan = await planImport(read.papers, papersDir, options.edition, year);

	const count = (status: string) => plan.files.filter((f) => f.status === status).length;
	say(`${options.file}: ${read.papers.length} paper(s) read as ${format}`);
	for (const file of plan.files) {
		if (file.status === 'new') say(`  new        ${file.file}   ← ${file.origin}`);
		if (file.status === 'unchanged') say(`  unchanged  ${file.file}`);
		if (file.status === 'duplicate')
			say(`  duplicate  ${file.origin}: same paper as ${file.duplicateOf} (not written)`);
		if (file.status === 'conflict')
			say(
				options.force
					? `  new        ${file.file}   ← ${file.origin} (${file.reason} as ${file.duplicateOf}; written: --force)`
					: `  error      ${file.origin}: ${file.reason} as ${file.duplicateOf}, already in the corpus; not written (check --edition, or use --force to write it anyway)`
			);
		if (file.status === 'changed') {
			say(
				`  changed    ${file.file}   ← ${file.origin}${options.force ? ' (replaced: --force)' : ' (kept: use --force to replace)'}`
			);
			for (const line of file.diff) say(`               ${line}`);
		}
	}
	const skipped = read.problems.filter((p) => p.effect === 'skipped');
	const dropped = read.problems.filter((p) => p.effect === 'dropped');
	if (skipped.length) {
		say(`not imported (${skipped.length}):`);
		for (const p of skipped) say(`  ${p.origin}: ${p.message}`);
	}
	if (dropped.length) {
		say(`imported without (${dropped.length}):`);
		for (const p of dropped) say(`  ${p.origin}: ${p.message}`);
	}
	if (!plan.editionExists) {
		say(
			`note: ${options.edition}/edition.yaml does not exist yet; create it (title, year, complete) before ingesting`
		);
	}
	if (options.dryRun) {
		say(`dry run: nothing written (${count('new')} new, ${count('changed')} changed)`);
	} else {
		const { written, kept } = await applyImport(plan, papersDir, { force: options.force });
		say(
			`wrote ${written.length} file(s) in ${papersDir}/${options.edition}; kept ${kept.length} changed file(s) as they were`
		);
	}
	const kept = !options.force && count('changed') > 0;
	if (!options.force && count('conflict') > 0) return 1;
	return skipped.length || count('duplicate') || kept ? 2 : 0;
}

// Run only when executed directly (tests import runImport).
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename ?? '')) {
	try {
		process.exitCode = await runImport(parseArgs(process.argv.slice(2)));
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exitCode = 1;
	}
}
