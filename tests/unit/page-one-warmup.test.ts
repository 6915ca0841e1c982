import {
	copyFileSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../scripts/ingest/pipeline.ts';
import { buildDir, previewStorePath, readCurrentBuildId } from '../../src/lib/server/data-dir.ts';
import { pageImageResponse } from '../../src/lib/server/page-image.ts';
import { warmPageOnes } from '../../src/lib/server/page-one-warmup.ts';
import { Store } from '../../src/lib/server/store.ts';
import type { Catalog } from '../../src/lib/types.ts';
import { inkOfJpeg } from '../fixtures/ink.ts';
import { makePdf, singleColumnPage } from '../fixtures/pdf/make-pdf.ts';

const PAPERS = ['alpha', 'beta', 'gamma'];

/** A papers folder of three one-page papers, each page one in dense text. */
function papersFolder(): string {
	const dir = mkdtempSync(join(tmpdir(), 'glassbox-warmup-papers-'));
	copyFileSync(join(import.meta.dirname, '../../papers/taxonomy.yaml'), join(dir, 'taxonomy.yaml'));
	const edition = join(dir, 'imimic-2030');
	mkdirSync(edition);
	writeFileSync(join(edition, 'edition.yaml'), 'title: iMIMIC 2030\nyear: 2030\ncomplete: true\n');
	for (const id of PAPERS) {
		const lines = Array.from({ length: 30 }, (_, i) => `${id} line ${i + 1} on saliency maps.`);
		writeFileSync(join(edition, `${id}.yaml`), `title: The ${id} paper\nauthors: [Ada Lovelace]\n`);
		writeFileSync(join(edition, `${id}.pdf`), makePdf([singleColumnPage(lines)]));
	}
	return dir;
}

describe('page one after an ingest that drew no JPEG', () => {
	let dataDir: string;
	let store: Store;
	const pageOne = (id: string) => previewStorePath(dataDir, store.paper(id)!.pdf!.sha256);

	beforeAll(async () => {
		dataDir = mkdtempSync(join(tmpdir(), 'glassbox-warmup-data-'));
		const report = await runIngest({
			papersDir: papersFolder(),
			dataDir,
			maxPdfBytes: 10 * 1024 * 1024,
			maxPages: 100,
			concurrency: 1
		});
		expect(report.exitCode).toBe(0);
		const buildId = (await readCurrentBuildId(dataDir))!;
		const catalog: Catalog = JSON.parse(
			readFileSync(join(buildDir(dataDir, buildId), 'catalog.json'), 'utf8')
		);
		// Page images read papers and PDF paths only; the search engine is never touched.
		store = new Store(dataDir, buildId, catalog, null as never);
	});

	it('is served as a JPEG of the page on the first request, drawn then', async () => {
		expect(existsSync(pageOne('alpha'))).toBe(false);
		const response = await pageImageResponse(
			new Request('http://localhost/papers/alpha/page/1.jpg'),
			store,
			'alpha',
			'1'
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/jpeg');
		const drawn = await inkOfJpeg(new Uint8Array(await response.arrayBuffer()));
		expect(drawn.ink).toBeGreaterThan(0.005);
		expect(existsSync(pageOne('alpha'))).toBe(true);
	});

	it('waits while the server is busy, and stops when a newer build replaces it', async () => {
		const controller = new AbortController();
		let asked = 0;
		const warming = warmPageOnes(store, {
			isIdle: () => {
				if (++asked === 3) controller.abort();
				return false;
			},
			signal: controller.signal
		});
		const summary = await warming;
		expect(summary).toMatchObject({ drawn: 0, superseded: true });
		expect(existsSync(pageOne('beta'))).toBe(false);
		expect(existsSync(pageOne('gamma'))).toBe(false);
	});

	it('is drawn for every paper that lacks it while the server is idle, with no request', async () => {
		const summary = await warmPageOnes(store, { isIdle: () => true });
		expect(summary).toEqual({ drawn: 2, present: 1, failed: 0, superseded: false });
		for (const id of PAPERS) {
			const drawn = await inkOfJpeg(new Uint8Array(readFileSync(pageOne(id))));
			expect(drawn.ink, id).toBeGreaterThan(0.005);
		}
		// A second pass finds them all and draws nothing.
		const again = await warmPageOnes(store, { isIdle: () => true });
		expect(again).toEqual({ drawn: 0, present: 3, failed: 0, superseded: false });
	});
});
