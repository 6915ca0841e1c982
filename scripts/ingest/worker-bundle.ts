/**
 * The extraction threads' code as one prebuilt JavaScript file, so that a thread loads it as is
 * instead of registering tsx and compiling each TypeScript module on the way (8% of a cold
 * ingest's CPU in its profile). The bundle is made with esbuild on first use into
 * node_modules/.cache/glassbox and made again when any of its source files changes (a hash of
 * their contents, kept beside it); packages stay outside it, loaded from node_modules as before.
 * When it cannot be made, the threads load the TypeScript through tsx as they did.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashFiles } from './file-hash.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENTRY = join(ROOT, 'scripts/ingest/extract-worker.ts');
/** The entry that compiles the TypeScript in the thread: the fallback. */
export const TYPESCRIPT_WORKER_URL = new URL('./extract-worker.mjs', import.meta.url);
/** Inside node_modules, so the bundle's package imports resolve as the sources' do. */
const CACHE_DIR = join(ROOT, 'node_modules/.cache/glassbox');
const BUNDLE = join(CACHE_DIR, 'extract-worker.mjs');
/** The bundle's source files and the hash of their contents when it was made. */
const INPUTS = join(CACHE_DIR, 'extract-worker.inputs.json');

interface BundleInputs {
	files: string[];
	hash: string;
}

/** Whether the bundle on disk was made from the source files as they are now. */
async function bundleIsCurrent(): Promise<boolean> {
	if (!existsSync(BUNDLE)) return false;
	try {
		const inputs = JSON.parse(await readFile(INPUTS, 'utf8')) as BundleInputs;
		return (await hashFiles(inputs.files)) === inputs.hash;
	} catch {
		return false;
	}
}

/** Bundles the worker with esbuild and writes it and its inputs' hash (each atomically). */
async function makeBundle(): Promise<void> {
	const { build } = await import('esbuild');
	const result = await build({
		entryPoints: [ENTRY],
		bundle: true,
		write: false,
		metafile: true,
		format: 'esm',
		platform: 'node',
		target: 'node20',
		packages: 'external',
		logLevel: 'silent'
	});
	const files = Object.keys(result.metafile.inputs)
		.map((input) => resolve(ROOT, input))
		.sort();
	const hash = await hashFiles(files);
	if (!hash) throw new Error('a source file disappeared while it was bundled');
	await mkdir(CACHE_DIR, { recursive: true });
	const suffix = `${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	// The code first, then the hash that vouches for it: a reader never trusts a half-made pair.
	await writeFile(`${BUNDLE}.${suffix}`, result.outputFiles[0].contents);
	await rename(`${BUNDLE}.${suffix}`, BUNDLE);
	await writeFile(`${INPUTS}.${suffix}`, JSON.stringify({ files, hash } satisfies BundleInputs));
	await rename(`${INPUTS}.${suffix}`, INPUTS);
}

let ready: Promise<URL> | null = null;

/**
 * URL of the extraction thread's entry: the prebuilt bundle, made first when missing or stale,
 * else (esbuild failing) the TypeScript entry. Checked once per process.
 */
export function extractWorkerUrl(): Promise<URL> {
	ready ??= (async () => {
		try {
			if (!(await bundleIsCurrent())) await makeBundle();
			return pathToFileURL(BUNDLE);
		} catch (error) {
			console.error(
				`ingest: extraction threads compile TypeScript instead (no prebuilt bundle: ${(error as Error).message})`
			);
			return TYPESCRIPT_WORKER_URL;
		}
	})();
	return ready;
}
