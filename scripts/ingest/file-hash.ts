/**
 * Hashes of files: the corpus's PDFs (their SHA-256 names them in the PDF store and the text
 * cache), source files whose contents name what was made from them, and a PDF's page texts.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { sha256OfFile } from '../../src/lib/server/build-manifest.ts';
import type { KeptValues } from './kept-values.ts';

export interface FileHash {
	sha256: string;
	bytes: number;
}

/**
 * A file's SHA-256, read again only when its size, inode or times changed: hashing 1,000 PDFs
 * on every ingest took 4–5 s, even with nothing changed.
 */
export async function hashFile(path: string, kept: KeptValues<FileHash>): Promise<FileHash> {
	const { size, ino, mtimeMs, ctimeMs } = await stat(path);
	const key = [path, size, ino, mtimeMs, ctimeMs].join('\0');
	const known = kept.get(key);
	if (known) return known;
	const { sha256, bytes } = await sha256OfFile(path);
	const found = { sha256, bytes };
	kept.set(key, found);
	return found;
}

/** One hash of the files' paths and contents; null when one of them is gone. */
export async function hashFiles(files: string[]): Promise<string | null> {
	const hash = createHash('sha256');
	for (const file of files) {
		if (!existsSync(file)) return null;
		hash
			.update(file)
			.update('\0')
			.update(await readFile(file))
			.update('\0');
	}
	return hash.digest('hex');
}

/** Hashes already computed, by page list: the tags, term lists and index segment share one. */
const pagesHashes = new WeakMap<string[], string>();

/**
 * Names page texts: what is kept for a PDF's pages (its topics, term lists, index segment) is
 * reused only for the very texts it was made from. Computed once per list of pages.
 */
export function pagesHash(pages: string[]): string {
	let known = pagesHashes.get(pages);
	if (known === undefined) {
		const hash = createHash('sha256');
		// Each page's length first, so that no two lists of pages hash alike by moving a boundary.
		for (const page of pages) hash.update(`${page.length}\n`).update(page);
		pagesHashes.set(pages, (known = hash.digest('hex')));
	}
	return known;
}
