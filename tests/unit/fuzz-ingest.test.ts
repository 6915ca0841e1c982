/**
 * Fuzzing the ingest and the page drawing: real PDFs (the shared corpus, else generated ones)
 * and paper records, mutated by a seeded generator (a fixed number of cases, the same on every
 * run), must always end in a valid build with each bad file named, and no page may be drawn
 * larger than the pixel cap or past the memory limit.
 */
import {
	existsSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runIngest } from '../../scripts/ingest/pipeline.ts';
import { verifyBuild } from '../../src/lib/server/build-manifest.ts';
import { buildDir, pageImageStorePath, readCurrentBuildId } from '../../src/lib/server/data-dir.ts';
import { drawPageInProcess } from '../../src/lib/server/page-draw.ts';
import { MAX_PAGE_IMAGE_PIXELS } from '../../src/lib/server/page-render.ts';
import { loadSearchEngine } from '../../src/lib/server/search-storage.ts';
import { readCatalog } from '../../src/lib/server/store.ts';
import type { IngestReport, Paper } from '../../src/lib/types.ts';
import { inkOfJpeg } from '../fixtures/ink.ts';
import {
	giantPage,
	makePdf,
	manyPages,
	shapesPage,
	twoColumnPage
} from '../fixtures/pdf/make-pdf.ts';
import { SHARED_CORPUS, hasSharedCorpus } from '../fixtures/shared-corpus.ts';

const SEED = 0x61c0ffee;
const PDF_CASES = 6;
const YAML_CASES = 10;
/** What drawing may add to this process's resident memory: a thread's heap cap and a canvas. */
const DRAW_MEMORY_CAP_MB = 768;

/** Mulberry32: a small seeded generator, so a failing case can be replayed. */
function generator(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (below: number) => Math.floor(next() * below);
	return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)] };
}
type Random = ReturnType<typeof generator>;

/** The PDFs mutated: the two smallest of the shared corpus, else generated papers. */
function sourcePdfs(): Buffer[] {
	const dir = join(SHARED_CORPUS, 'pdf');
	if (hasSharedCorpus && existsSync(dir)) {
		return readdirSync(dir)
			.filter((name) => name.endsWith('.pdf'))
			.map((name) => join(dir, name))
			.sort((a, b) => statSync(a).size - statSync(b).size)
			.slice(0, 2)
			.map((path) => readFileSync(path));
	}
	return [
		makePdf(manyPages(6)),
		makePdf([twoColumnPage({ left: ['Saliency maps'], right: ['of the lung'] })])
	];
}

const latin1 = (bytes: Buffer) => bytes.toString('latin1');

/** Ways to break a PDF, each named for the report of a failing case. */
const PDF_MUTATIONS: Record<string, (pdf: Buffer, random: Random) => Buffer> = {
	truncated: (pdf, random) => pdf.subarray(0, Math.max(1, Math.floor(pdf.length * random.next()))),
	'bit flips': (pdf, random) => {
		const copy = Buffer.from(pdf);
		for (let i = 1 + random.int(64); i > 0; i--)
			copy[random.int(copy.length)] ^= 1 << random.int(8);
		return copy;
	},
	'shuffled objects': (pdf, random) => {
		const text = latin1(pdf);
		const starts = [...text.matchAll(/\d+ 0 obj\b/g)].map((match) => match.index);
		const tail = text.lastIndexOf('xref');
		const bounds = starts.filter((at) => tail < 0 || at < tail);
		if (bounds.length < 3) return pdf;
		const objects = bounds.map((at, i) =>
			text.slice(at, bounds[i + 1] ?? (tail < 0 ? text.length : tail))
		);
		for (let i = objects.length - 1; i > 0; i--) {
			const j = random.int(i + 1);
			[objects[i], objects[j]] = [objects[j], objects[i]];
		}
		const head = text.slice(0, bounds[0]);
		const end = tail < 0 ? '' : text.slice(tail);
		return Buffer.from(head + objects.join('') + end, 'latin1');
	},
	'giant pages': (pdf) =>
		Buffer.from(
			latin1(pdf).replace(/\/MediaBox\s*\[[^\]]*\]/g, '/MediaBox [0 0 14400 14400]'),
			'latin1'
		),
	'hostile drawing': () =>
		makePdf([giantPage(), shapesPage(600, { width: 14_400, height: 14_400 })])
};

const GOOD_RECORD =
	'title: A fuzzed paper\nauthors: [Ada Lovelace, Alan Turing]\nkeywords: [saliency]\n';

/** Ways to break a paper record. */
const YAML_MUTATIONS: Record<string, (random: Random) => string | Buffer> = {
	truncated: (random) => GOOD_RECORD.slice(0, random.int(GOOD_RECORD.length)),
	'bit flips': (random) => {
		const copy = Buffer.from(GOOD_RECORD);
		for (let i = 1 + random.int(8); i > 0; i--) copy[random.int(copy.length)] ^= 1 << random.int(8);
		return copy;
	},
	'alias bomb': () => {
		const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
		for (let i = 1; i < 10; i++)
			lines.push(
				`a${i}: &a${i} [${Array(10)
					.fill(`*a${i - 1}`)
					.join(', ')}]`
			);
		return `${GOOD_RECORD}${lines.join('\n')}\n`;
	},
	binary: (random) => Buffer.from(Array.from({ length: 512 }, () => random.int(256))),
	huge: () => `${GOOD_RECORD}abstract: ${'saliency '.repeat(150_000)}\n`,
	'deep nesting': () => `title: ${'['.repeat(100_000)}\n`,
	'wrong types': (random) =>
		random.pick([
			'title: 42\nauthors: yes\n',
			'title: [a, b]\nauthors: {x: 1}\n',
			'- a\n- b\n',
			'"just text"\n'
		]),
	'duplicate keys': () => `${GOOD_RECORD}title: Again\n`
};

interface Case {
	id: string;
	mutation: string;
}

describe('fuzzing the ingest and page drawing', () => {
	it(`builds a valid catalog from ${PDF_CASES} mutated PDFs and ${YAML_CASES} mutated records, naming every bad file, and draws their pages within the caps`, async () => {
		const random = generator(SEED);
		const papersDir = mkdtempSync(join(tmpdir(), 'glassbox-fuzz-papers-'));
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-fuzz-data-'));
		writeFileSync(
			join(papersDir, 'taxonomy.yaml'),
			readFileSync(join(import.meta.dirname, '../../papers/taxonomy.yaml'))
		);
		const edition = join(papersDir, 'fuzz');
		await mkdir(edition);
		writeFileSync(join(edition, 'edition.yaml'), 'title: Fuzz\nyear: 2030\ncomplete: true\n');

		const sources = sourcePdfs();
		const pdfNames = Object.keys(PDF_MUTATIONS);
		const pdfCases: Case[] = [];
		for (let i = 0; i < PDF_CASES; i++) {
			// Every mutation at least once, then at random.
			const mutation = i < pdfNames.length ? pdfNames[i] : random.pick(pdfNames);
			const id = `pdf-${i}`;
			writeFileSync(
				join(edition, `${id}.pdf`),
				PDF_MUTATIONS[mutation](random.pick(sources), random)
			);
			writeFileSync(join(edition, `${id}.yaml`), GOOD_RECORD);
			pdfCases.push({ id, mutation });
		}
		const yamlNames = Object.keys(YAML_MUTATIONS);
		const yamlCases: Case[] = [];
		for (let i = 0; i < YAML_CASES; i++) {
			const mutation = i < yamlNames.length ? yamlNames[i] : random.pick(yamlNames);
			const id = `yaml-${i}`;
			writeFileSync(join(edition, `${id}.yaml`), YAML_MUTATIONS[mutation](random));
			yamlCases.push({ id, mutation });
		}
		writeFileSync(join(edition, 'control.yaml'), GOOD_RECORD);

		const report = await runIngest({
			papersDir,
			dataDir,
			maxPdfBytes: 50 * 1024 * 1024,
			maxPages: 500,
			concurrency: 2,
			extract: { timeoutMs: 15_000 }
		});

		// A build was published, and it is valid: its files match its manifest and it loads.
		expect(report.exitCode, JSON.stringify(report.issues, null, 1)).not.toBe(1);
		const buildId = (await readCurrentBuildId(dataDir))!;
		const dir = buildDir(dataDir, buildId);
		await verifyBuild(dir);
		const catalog = await readCatalog(join(dir, 'catalog.json'));
		await loadSearchEngine(join(dir, 'search'), catalog);
		const papers = new Map(catalog.papers.map((paper) => [paper.id, paper]));
		expect(papers.has('control')).toBe(true);

		const named = (file: string, issues: IngestReport['issues']) =>
			issues.some((issue) => issue.file === file);
		for (const { id, mutation } of yamlCases) {
			const listed = papers.has(id);
			expect(
				listed || named(`fuzz/${id}.yaml`, report.issues),
				`${id} (${mutation}): neither built nor named`
			).toBe(true);
		}
		for (const { id, mutation } of pdfCases) {
			const paper = papers.get(id);
			expect(paper, `${id} (${mutation}): its valid record was not built`).toBeDefined();
			expect(
				paper!.pdf !== null || named(`fuzz/${id}.pdf`, report.issues),
				`${id} (${mutation}): PDF neither read nor named`
			).toBe(true);
		}

		// Page one (what the reader shows first) and the last page (where a giant page sits) of
		// every paper, drawn as the server draws them, stay within the caps.
		const drawn: Paper[] = catalog.papers.filter((paper) => paper.pdf);
		const baseline = process.memoryUsage().rss;
		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		try {
			for (const paper of drawn) {
				const { sha256, pageCount } = paper.pdf!;
				for (const pageNumber of new Set([1, pageCount])) {
					const target = pageImageStorePath(dataDir, sha256, pageNumber);
					const pdfPath = join(dataDir, 'pdf', `${sha256}.pdf`);
					const drawnOk = await drawPageInProcess(
						{ pdfPath, pageNumber, target },
						{ timeoutMs: 5_000, maxHeapMb: 256 }
					).then(
						() => true,
						// Failing is allowed (a broken page, out of time): crashing or overgrowing is not.
						() => false
					);
					if (drawnOk) {
						const image = await inkOfJpeg(new Uint8Array(readFileSync(target)));
						expect(
							image.width * image.height,
							`${paper.id} page ${pageNumber}`
						).toBeLessThanOrEqual(MAX_PAGE_IMAGE_PIXELS);
					} else {
						expect(existsSync(target)).toBe(false);
					}
				}
			}
		} finally {
			clearInterval(sampler);
		}
		const grownMb = (peak - baseline) / 1024 / 1024;
		expect(grownMb, `drawing grew this process by ${grownMb.toFixed(0)} MB`).toBeLessThan(
			DRAW_MEMORY_CAP_MB
		);
	}, 120_000);
});
