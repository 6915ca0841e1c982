/**
 * A build's manifest (`builds/<id>/manifest.json`): the size and SHA-256 of every file in the
 * build, written last by the ingest from the files as they are on disk. A build without one is
 * incomplete (an ingest that died); a build whose files no longer match it is not served.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import { MANIFEST_FILE, writeFileAtomic } from './data-dir.ts';

const MANIFEST_FORMAT = 1;

export interface BuildManifest {
	format: number;
	/** Every file of the build but the manifest, by its path inside the build (`/`-separated). */
	files: Record<string, { bytes: number; sha256: string }>;
}

/** A file of a build that is missing or not as its manifest says; the message names the file. */
export class BuildFileError extends Error {
	constructor(
		readonly file: string,
		problem: string
	) {
		super(`${file}: ${problem}`);
	}
}

async function listFiles(dir: string): Promise<string[]> {
	const entries = await readdir(dir, { recursive: true, withFileTypes: true });
	return entries
		.filter((entry) => entry.isFile())
		.map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join(posix.sep))
		.filter((path) => path !== MANIFEST_FILE)
		.sort();
}

/** A file's size and SHA-256, read as a stream (a PDF may be large). */
export async function sha256OfFile(path: string): Promise<{ bytes: number; sha256: string }> {
	const hash = createHash('sha256');
	let bytes = 0;
	for await (const chunk of createReadStream(path)) {
		hash.update(chunk as Buffer);
		bytes += (chunk as Buffer).length;
	}
	return { bytes, sha256: hash.digest('hex') };
}

/**
 * Reads back every file of the build in `dir` and writes its manifest, which marks the build
 * complete: call it after the last file is written and before the build is published.
 */
export async function writeBuildManifest(dir: string): Promise<BuildManifest> {
	const manifest: BuildManifest = { format: MANIFEST_FORMAT, files: {} };
	for (const path of await listFiles(dir))
		manifest.files[path] = await sha256OfFile(join(dir, path));
	await writeFileAtomic(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, '\t'));
	return manifest;
}

/**
 * Checks every file the manifest of the build in `dir` lists: present, of its size and its
 * SHA-256. Throws `BuildFileError` naming the first file that is not (or the manifest itself).
 */
export async function verifyBuild(dir: string): Promise<BuildManifest> {
	const manifestPath = join(dir, MANIFEST_FILE);
	let manifest: BuildManifest;
	try {
		manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as BuildManifest;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new BuildFileError(
			manifestPath,
			code === 'ENOENT'
				? 'missing: the build was never finished, or was written by an ingest older than manifests'
				: `unreadable (${(error as Error).message})`
		);
	}
	if (
		manifest?.format !== MANIFEST_FORMAT ||
		typeof manifest.files !== 'object' ||
		!manifest.files
	) {
		throw new BuildFileError(manifestPath, `not a format ${MANIFEST_FORMAT} build manifest`);
	}
	for (const [path, expected] of Object.entries(manifest.files)) {
		const file = join(dir, ...path.split(posix.sep));
		const info = await stat(file).catch(() => null);
		if (!info?.isFile()) throw new BuildFileError(file, 'missing');
		if (info.size !== expected.bytes) {
			throw new BuildFileError(file, `${info.size} bytes where the build wrote ${expected.bytes}`);
		}
		if ((await sha256OfFile(file)).sha256 !== expected.sha256) {
			throw new BuildFileError(file, 'content changed since the build was written (checksum)');
		}
	}
	return manifest;
}
