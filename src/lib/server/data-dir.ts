/**
 * The layout of DATA_DIR, shared by the ingest (which writes builds) and the server (which
 * reads the live one). See ARCHITECTURE.md.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Name of the file whose content is the id of the live build. */
const CURRENT_FILE = 'current';
/** Builds kept besides the live one, so a server still reading the previous one is not cut off. */
const BUILDS_TO_KEEP = 2;
/** Written last into a build (see build-manifest.ts): a build without it is incomplete. */
export const MANIFEST_FILE = 'manifest.json';

export function resolveDataDir(dir = process.env.DATA_DIR ?? './data'): string {
	return resolve(dir);
}

export const buildsDir = (dataDir: string) => join(dataDir, 'builds');
export const buildDir = (dataDir: string, buildId: string) => join(buildsDir(dataDir), buildId);
/** The file that names the live build. */
export const currentFile = (dataDir: string) => join(dataDir, CURRENT_FILE);
export const pdfStoreDir = (dataDir: string) => join(dataDir, 'pdf');
export const pdfStorePath = (dataDir: string, sha256: string) =>
	join(pdfStoreDir(dataDir), `${sha256}.pdf`);
/** One page of a stored PDF as a JPEG, drawn on the first request for it (see page-image.ts). */
export const pageImageStorePath = (dataDir: string, sha256: string, pageNumber: number) =>
	join(pdfStoreDir(dataDir), `${sha256}.page${pageNumber}.jpg`);
/**
 * The figures of one page of a stored PDF (JSON), found on the first request for them (see
 * page-figures.ts); `version` is the finder's, so a changed finder starts afresh.
 */
export const pageFiguresStorePath = (
	dataDir: string,
	sha256: string,
	pageNumber: number,
	version: number
) => join(pdfStoreDir(dataDir), `${sha256}.page${pageNumber}.figures-v${version}.json`);
/**
 * Page one of a stored PDF as a JPEG, for the reader to show at once: drawn by the server on the
 * first request or, before any, by its idle warm-up (page-one-warmup.ts).
 */
export const previewStorePath = (dataDir: string, sha256: string) =>
	pageImageStorePath(dataDir, sha256, 1);
export const textCacheDir = (dataDir: string) => join(dataDir, 'cache', 'text');
export const remotePdfCacheDir = (dataDir: string) => join(dataDir, 'cache', 'remote-pdf');
/** The corpus's YAML files as parsed by the last ingest, by a hash of their text (yaml-cache.ts). */
export const parsedYamlCachePath = (dataDir: string) => join(dataDir, 'cache', 'parsed-yaml.json');
/** The inferred topics of each paper, by what they were inferred from (tag-cache.ts). */
export const keptTopicsPath = (dataDir: string) => join(dataDir, 'cache', 'topics.json');
/** The SHA-256 of each PDF, by its path, size, inode and modification time (pipeline.ts). */
export const keptHashesPath = (dataDir: string) => join(dataDir, 'cache', 'pdf-hashes.json');

/** The id of the live build, or null when nothing has been built yet. */
export async function readCurrentBuildId(dataDir: string): Promise<string | null> {
	try {
		const id = (await readFile(currentFile(dataDir), 'utf8')).trim();
		return id || null;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
		throw error;
	}
}

/** A sortable, unique build id: the time, then a random suffix against same-millisecond builds. */
export function newBuildId(now = new Date()): string {
	const stamp = now.toISOString().replace(/[-:.]/g, '').replace('T', '-').replace('Z', '');
	return `${stamp}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Writes a file atomically: readers see the old content or the new, never a partial one. */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
	const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	await writeFile(temp, content);
	await rename(temp, path);
}

/** Whether a build was finished: its manifest, written last, is there (its files are not checked). */
export function isCompleteBuild(dataDir: string, buildId: string): boolean {
	return existsSync(join(buildDir(dataDir, buildId), MANIFEST_FILE));
}

/** Ids of the finished builds in DATA_DIR, newest first. */
export async function completeBuildIds(dataDir: string): Promise<string[]> {
	const all = await readdir(buildsDir(dataDir)).catch(() => [] as string[]);
	return all.filter((id) => isCompleteBuild(dataDir, id)).sort((a, b) => b.localeCompare(a));
}

/**
 * Removes the builds that were never finished (an ingest killed mid-way) but `except`. Only
 * call it while holding the ingest lock: another ingest's build in progress looks the same.
 */
export async function removeIncompleteBuilds(dataDir: string, except?: string): Promise<string[]> {
	const all = await readdir(buildsDir(dataDir)).catch(() => [] as string[]);
	const incomplete = all.filter((id) => id !== except && !isCompleteBuild(dataDir, id));
	await Promise.all(
		incomplete.map((id) => rm(buildDir(dataDir, id), { recursive: true, force: true }))
	);
	return incomplete;
}

/**
 * Makes the finished build `buildId` live, removes unfinished builds, and keeps only the two
 * newest finished builds before it; returns the ids of the builds kept, the live one first.
 */
export async function publishBuild(dataDir: string, buildId: string): Promise<string[]> {
	if (!isCompleteBuild(dataDir, buildId)) {
		throw new Error(`${buildDir(dataDir, buildId)}: not published: it has no ${MANIFEST_FILE}`);
	}
	await writeFileAtomic(currentFile(dataDir), `${buildId}\n`);
	await removeIncompleteBuilds(dataDir, buildId);
	const older = (await completeBuildIds(dataDir)).filter((id) => id !== buildId);
	const stale = older.slice(BUILDS_TO_KEEP);
	await Promise.all(stale.map((id) => rm(buildDir(dataDir, id), { recursive: true, force: true })));
	return [buildId, ...older.slice(0, BUILDS_TO_KEEP)];
}

export async function ensureDataDirs(dataDir: string): Promise<void> {
	await mkdir(buildsDir(dataDir), { recursive: true });
	await mkdir(pdfStoreDir(dataDir), { recursive: true });
	await mkdir(textCacheDir(dataDir), { recursive: true });
}
