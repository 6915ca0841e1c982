/**
 * `npm run bench:figures`: what the server pays for the text view's figures, now that the ingest
 * no longer finds them. For every page of some shared-corpus papers, in reading order as a phone
 * reader scrolls, times the first request for the page's figures (found in a drawing process,
 * kept on disk), the same request again (kept), and, as the baseline of the same run, drawing
 * the page's JPEG (which the text view needs anyway to cut a figure from).
 *
 *   npx tsx scripts/bench/figures.ts [--papers id,id]
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pdfStoreDir, pdfStorePath } from '../../src/lib/server/data-dir.ts';
import { pageFigures } from '../../src/lib/server/page-figures.ts';
import { pageImageFile } from '../../src/lib/server/page-image.ts';
import {
	hasSharedCorpus,
	SHARED_CORPUS,
	sharedPapers
} from '../../tests/fixtures/shared-corpus.ts';

const DEFAULT_PAPERS = [
	'jin-2022-evaluating-xai-multimodal',
	'graziani-2018-regression-concept-vectors',
	'wang-2020-covid-net',
	'sinha-mrdataset-joss',
	'biopixr-joss'
];
const { values } = parseArgs({ options: { papers: { type: 'string' } } });
const ids = values.papers ? values.papers.split(',') : DEFAULT_PAPERS;
if (!hasSharedCorpus) {
	console.error(`bench:figures: ${SHARED_CORPUS}: no shared corpus`);
	process.exit(1);
}

const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-bench-figures-'));
mkdirSync(pdfStoreDir(dataDir), { recursive: true });

interface Timing {
	paper: string;
	page: number;
	figures: number;
	coldMs: number;
	keptMs: number;
	drawMs: number;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
	const started = performance.now();
	const result = await work();
	return [result, performance.now() - started];
}

const timings: Timing[] = [];
let firstRequestMs = 0;
for (const paper of sharedPapers().filter((p) => ids.includes(p.id))) {
	const path = join(SHARED_CORPUS, paper.file);
	const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex');
	symlinkSync(path, pdfStorePath(dataDir, sha256));
	const source = { paperId: paper.id, sha256, pdfPath: pdfStorePath(dataDir, sha256), dataDir };
	for (let page = 1; page <= paper.pages; page++) {
		const [figures, coldMs] = await timed(() => pageFigures(source, page));
		if (!firstRequestMs) firstRequestMs = coldMs;
		const [, keptMs] = await timed(() => pageFigures(source, page));
		const [, drawMs] = await timed(() => pageImageFile(source, page));
		timings.push({ paper: paper.id, page, figures: figures.length, coldMs, keptMs, drawMs });
	}
}

const quantile = (values: number[], q: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const ms = (value: number) => `${Math.round(value)} ms`;
const summary = (label: string, rows: Timing[]) => {
	if (!rows.length) return;
	const cold = rows.map((row) => row.coldMs);
	const draw = rows.map((row) => row.drawMs);
	console.log(
		`${label} (${rows.length}): figures cold median ${ms(quantile(cold, 0.5))}, p90 ${ms(quantile(cold, 0.9))}, max ${ms(Math.max(...cold))}; ` +
			`kept median ${ms(
				quantile(
					rows.map((row) => row.keptMs),
					0.5
				)
			)}; page JPEG draw median ${ms(quantile(draw, 0.5))}, max ${ms(Math.max(...draw))}`
	);
};
console.log(
	`pages of ${ids.length} shared papers, one request at a time; the first request starts a drawing process: ${ms(firstRequestMs)}`
);
for (const row of timings.filter((row) => row.figures > 0)) {
	console.log(
		`  ${row.paper} p. ${row.page}: ${row.figures} figure(s), cold ${ms(row.coldMs)}, kept ${ms(row.keptMs)}, page draw ${ms(row.drawMs)}`
	);
}
summary(
	'pages with figures',
	timings.filter((row) => row.figures > 0)
);
summary('pages without', timings.filter((row) => row.figures === 0).slice(1));
process.exit(0);
