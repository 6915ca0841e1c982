/**
 * After a publish: removes the PDFs, page images and text caches that no kept build uses, so a
 * data folder does not grow with every PDF it ever saw.
 */
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildDir, pdfStoreDir, textCacheDir } from '../../src/lib/server/data-dir.ts';
import type { Catalog } from '../../src/lib/types.ts';

/** A temporary file younger than this may belong to a server drawing a page right now. */
const TEMP_FILE_GRACE_MS = 60 * 60_000;

/**
 * Kinds of kept file no code reads any more, removed even for PDFs still in use: the similarity
 * term counts per PDF, now all in one file (term-cache.ts).
 */
const RETIRED_SUFFIXES = ['.terms.json'];

/** What `removeUnusedFiles` removed. */
export interface PruneResult {
	files: number;
	bytes: number;
}

async function pdfHashesOf(dataDir: string, buildId: string): Promise<string[]> {
	const catalog = JSON.parse(
		await readFile(join(buildDir(dataDir, buildId), 'catalog.json'), 'utf8')
	) as Catalog;
	return catalog.papers.flatMap((paper) => (paper.pdf ? [paper.pdf.sha256] : []));
}

/**
 * Removes from the PDF store and the text cache every file named after a PDF that none of
 * `keptBuildIds` lists, retired kinds of file, and temporary files left by killed writers. Throws when a kept build's
 * catalog cannot be read (then nothing is removed).
 */
export async function removeUnusedFiles(
	dataDir: string,
	keptBuildIds: string[]
): Promise<PruneResult> {
	const used = new Set(
		(await Promise.all(keptBuildIds.map((id) => pdfHashesOf(dataDir, id)))).flat()
	);
	const result: PruneResult = { files: 0, bytes: 0 };
	const now = Date.now();
	for (const dir of [pdfStoreDir(dataDir), textCacheDir(dataDir)]) {
		const names = await readdir(dir).catch(() => [] as string[]);
		for (const name of names) {
			const path = join(dir, name);
			const info = await stat(path).catch(() => null);
			if (!info?.isFile()) continue;
			const hash = /^([0-9a-f]{64})\./.exec(name)?.[1];
			const unused = name.endsWith('.tmp')
				? now - info.mtimeMs > TEMP_FILE_GRACE_MS
				: hash !== undefined &&
					(!used.has(hash) || RETIRED_SUFFIXES.some((suffix) => name.endsWith(suffix)));
			if (!unused) continue;
			await rm(path, { force: true });
			result.files += 1;
			result.bytes += info.size;
		}
	}
	return result;
}
