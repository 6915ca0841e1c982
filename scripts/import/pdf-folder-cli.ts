/**
 * `npm run papers:from-pdfs -- <folder|manifest.json> --out <papers-dir> [--copy]
 *  [--edition-prefix <name>] [--type <oral|poster|…>]`
 *
 * Turns a folder of PDFs plus its manifest into a papers folder the ingest reads. Exit status:
 * 0 every entry written; 2 some entries not written (listed); 1 nothing written.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writePapersFromPdfFolder } from './pdf-folder.ts';

const USAGE =
	'usage: npm run papers:from-pdfs -- <folder|manifest.json> --out <papers-dir> [--copy] [--edition-prefix <name>] [--type <oral|poster|keynote|invited|paper>]';

function main(): number {
	let parsed;
	try {
		parsed = parseArgs({
			allowPositionals: true,
			options: {
				out: { type: 'string' },
				copy: { type: 'boolean' },
				'edition-prefix': { type: 'string' },
				type: { type: 'string' },
				help: { type: 'boolean', short: 'h' }
			}
		});
	} catch (error) {
		console.error(`papers:from-pdfs: ${(error as Error).message}\n${USAGE}`);
		return 1;
	}
	const { values, positionals } = parsed;
	if (values.help || positionals.length !== 1 || !values.out) {
		console.error(USAGE);
		return values.help ? 0 : 1;
	}
	const input = resolve(positionals[0]);
	const manifest =
		existsSync(input) && statSync(input).isDirectory() ? join(input, 'manifest.json') : input;
	if (!existsSync(manifest)) {
		console.error(`papers:from-pdfs: ${manifest} not found\n${USAGE}`);
		return 1;
	}
	const out = resolve(values.out);
	if (existsSync(out) && readdirSync(out).length > 0) {
		console.error(`papers:from-pdfs: ${out} is not empty; give a new folder`);
		return 1;
	}
	const result = writePapersFromPdfFolder({
		manifest,
		out,
		copy: values.copy,
		editionPrefix: values['edition-prefix'],
		defaultType: values.type
	});
	console.log(`wrote ${result.papers.length} paper(s) into ${out}`);
	for (const problem of result.problems) console.log(`  not written: ${problem}`);
	if (result.papers.length > 0) console.log(`next: npm run ingest -- --papers ${out}`);
	return result.papers.length === 0 ? 1 : result.problems.length ? 2 : 0;
}

process.exitCode = main();
