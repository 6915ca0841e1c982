/**
 * `npm run ingest [-- --papers <dir> --out <dir> --max-pdf-mb <n> --max-pages <n>]`
 * Exit status: 0 all ingested, 2 built with papers skipped or degraded, 1 nothing built.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from '../../src/lib/server/data-dir.ts';
import { runIngest } from './pipeline.ts';
import { createProgress } from './progress.ts';
import { formatReport } from './report.ts';

const USAGE = `usage: npm run ingest -- [--papers <dir>] [--out <dir>] [--fetch] [--max-pdf-mb <n>] [--max-pages <n>] [--jobs <n>]
  --papers      corpus folder (default: $PAPERS_DIR or ./papers)
  --out         output folder (default: $DATA_DIR or ./data)
  --fetch       download each missing open-access PDF (pdf_url, else arXiv) once into the cache
                under <out>/cache/remote-pdf; set GLASSBOX_CONTACT to put a contact in the User-Agent
  --max-pdf-mb  PDFs larger than this are listed without full text (default 50)
  --max-pages   PDFs with more pages are listed without full text (default 500)
  --jobs        extraction workers (default: number of cores, at most 4)`;

function positiveNumber(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	const number = Number(value);
	if (!Number.isFinite(number) || number <= 0) {
		console.error(`ingest: --${name} must be a positive number, got "${value}"\n${USAGE}`);
		process.exit(1);
	}
	return number;
}

async function main(): Promise<number> {
	let values;
	try {
		({ values } = parseArgs({
			options: {
				papers: { type: 'string' },
				out: { type: 'string' },
				'max-pdf-mb': { type: 'string' },
				'max-pages': { type: 'string' },
				jobs: { type: 'string' },
				fetch: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (error) {
		console.error(`ingest: ${(error as Error).message}\n${USAGE}`);
		return 1;
	}
	if (values.help) {
		console.log(USAGE);
		return 0;
	}
	const papersDir = resolve(values.papers ?? process.env.PAPERS_DIR ?? './papers');
	const dataDir = resolveDataDir(values.out);
	console.error(`ingest: ${papersDir} → ${dataDir}`);
	const report = await runIngest({
		papersDir,
		dataDir,
		maxPdfBytes: positiveNumber('max-pdf-mb', values['max-pdf-mb'], 50) * 1024 * 1024,
		maxPages: positiveNumber('max-pages', values['max-pages'], 500),
		concurrency: values.jobs ? positiveNumber('jobs', values.jobs, 2) : undefined,
		progress: createProgress(),
		fetch: values.fetch ?? false,
		log: (line) => console.error(line)
	});
	console.log(formatReport(report));
	return report.exitCode;
}

main().then(
	(code) => process.exit(code),
	(error) => {
		console.error(`ingest: unexpected failure: ${(error as Error).stack ?? error}`);
		process.exit(1);
	}
);
