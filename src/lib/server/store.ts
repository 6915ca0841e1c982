/**
 * The live build, loaded once per server process and swapped whole when the ingest publishes a
 * new one: a request sees the old build or the new one, never a mix.
 */
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canServePdf } from '../pdf-access.ts';
import type { Catalog, Edition, Paper } from '../types.ts';
import { SearchEngine } from '../search/engine.ts';
import { loadSearchEngine } from './search-storage.ts';
import { verifyBuild } from './build-manifest.ts';
import {
	buildDir,
	completeBuildIds,
	pdfStorePath,
	readCurrentBuildId,
	resolveDataDir
} from './data-dir.ts';

export class Store {
	readonly #papers: Map<string, Paper>;
	readonly #editions: Map<string, Edition>;

	constructor(
		readonly dataDir: string,
		readonly buildId: string,
		readonly catalog: Catalog,
		readonly engine: SearchEngine
	) {
		this.#papers = new Map(catalog.papers.map((paper) => [paper.id, paper]));
		this.#editions = new Map(catalog.editions.map((edition) => [edition.id, edition]));
	}

	paper(id: string): Paper | undefined {
		return this.#papers.get(id);
	}

	edition(id: string): Edition | undefined {
		return this.#editions.get(id);
	}

	papersOf(editionId: string): Paper[] {
		return this.catalog.papers.filter((paper) => paper.edition === editionId);
	}

	/**
	 * Absolute path of a paper's PDF in the content-addressed store, looked up by id; null when
	 * there is none or it may not be redistributed (see `canServePdf`).
	 */
	pdfFile(id: string): string | null {
		const paper = this.#papers.get(id);
		return paper?.pdf && canServePdf(paper) ? pdfStorePath(this.dataDir, paper.pdf.sha256) : null;
	}
}

/**
 * Thrown while no build exists yet, or none can be loaded; routes turn it into a 503 that says
 * what to run.
 */
export class NoBuildError extends Error {
	constructor(dataDir: string, problems: string[] = []) {
		super(
			problems.length === 0
				? `No catalog has been built in ${dataDir} yet: run \`npm run ingest\`.`
				: `No build in ${dataDir} can be served (${problems.join('; ')}): run \`npm run ingest\`.`
		);
	}
}

/** What every catalog holds; a build from an older ingest may lack the later ones. */
const CATALOG_FIELDS = ['editions', 'papers', 'taxonomy', 'authors', 'similar', 'map'] as const;

/**
 * Reads a build's catalog.json; throws, naming the file and field, when a field the server
 * relies on is missing (a build from an older ingest: run the ingest again).
 */
export async function readCatalog(file: string): Promise<Catalog> {
	let catalog: Partial<Catalog>;
	try {
		catalog = JSON.parse(await readFile(file, 'utf8')) as Partial<Catalog>;
	} catch (error) {
		throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
	}
	for (const field of CATALOG_FIELDS) {
		if (catalog[field] === undefined || catalog[field] === null) {
			throw new Error(
				`${file}: ${field}: missing (built by an older ingest); run \`npm run ingest\``
			);
		}
	}
	return catalog as Catalog;
}

/** Loads one build after checking its files against its manifest; errors name the bad file. */
async function loadStore(dataDir: string, buildId: string): Promise<Store> {
	const dir = buildDir(dataDir, buildId);
	await verifyBuild(dir);
	const catalog = await readCatalog(join(dir, 'catalog.json'));
	const engine = await loadSearchEngine(join(dir, 'search'), catalog);
	return new Store(dataDir, buildId, catalog, engine);
}

let live: Store | null = null;
/** Called with each build made live (the first one loaded, then each new one). */
const liveBuildListeners: ((store: Store) => void)[] = [];

/** Calls `listener` with every build made live from now on (and the live one, if any). */
export function onLiveBuild(listener: (store: Store) => void): void {
	liveBuildListeners.push(listener);
	if (live) listener(live);
}

function makeLive(store: Store): void {
	if (store === live) return;
	live = store;
	for (const listener of liveBuildListeners) listener(store);
}
let loading: Promise<Store> | null = null;
let watcher: FSWatcher | null = null;
/** Why no build is served, kept until `current` changes, so requests do not re-read bad files. */
let unavailable: NoBuildError | null = null;
/** Builds that failed to load, and why; a build never changes once written, so never retried. */
const badBuilds = new Map<string, string>();

/**
 * The build named by `current` if it loads, else the newest finished build that does (each
 * failure logged, naming the file); `live` when that is the one chosen. Throws `NoBuildError`
 * when there is none.
 */
async function loadNewestGoodBuild(dataDir: string): Promise<Store> {
	const current = await readCurrentBuildId(dataDir);
	if (!current) throw new NoBuildError(dataDir);
	const candidates = [current, ...(await completeBuildIds(dataDir)).filter((id) => id !== current)];
	for (const buildId of candidates) {
		if (badBuilds.has(buildId)) continue;
		if (buildId === live?.buildId) return live;
		try {
			const store = await loadStore(dataDir, buildId);
			if (buildId !== current) {
				console.error(`glassbox: serving the older build ${buildId} instead of ${current}`);
			}
			return store;
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			badBuilds.set(buildId, reason);
			console.error(`glassbox: build ${buildId} not loaded: ${reason}`);
		}
	}
	throw new NoBuildError(
		dataDir,
		candidates.map((id) => `build ${id}: ${badBuilds.get(id) ?? 'not loaded'}`)
	);
}

/** Loads the live build on first use, then follows DATA_DIR/current. */
export function getStore(): Promise<Store> {
	if (live) return Promise.resolve(live);
	if (unavailable) return Promise.reject(unavailable);
	loading ??= init().finally(() => (loading = null));
	return loading;
}

async function init(): Promise<Store> {
	const dataDir = resolveDataDir();
	followPublishedBuilds(dataDir);
	let store: Store;
	try {
		store = await loadNewestGoodBuild(dataDir);
	} catch (error) {
		if (error instanceof NoBuildError) unavailable = error;
		throw error;
	}
	makeLive(store);
	return store;
}

function followPublishedBuilds(dataDir: string): void {
	if (watcher) return;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const check = () => {
		clearTimeout(timer);
		// The ingest renames `current` into place; a short delay coalesces the burst of events.
		timer = setTimeout(() => void reloadIfChanged(dataDir), 150);
	};
	try {
		watcher = watch(dataDir, (_event, name) => {
			if (name === 'current') check();
		});
		watcher.unref();
	} catch {
		// DATA_DIR does not exist yet: poll until the first ingest creates it.
		const poll = setInterval(() => {
			void readCurrentBuildId(dataDir).then((id) => {
				if (!id) return;
				clearInterval(poll);
				followPublishedBuilds(dataDir);
				check();
			});
		}, 1000);
		poll.unref();
	}
}

let reloading = false;
/** The content of `current` the last reload acted on (the live build may be an older one). */
let handledCurrent: string | null = null;

async function reloadIfChanged(dataDir: string): Promise<void> {
	if (reloading) return;
	reloading = true;
	try {
		const buildId = await readCurrentBuildId(dataDir);
		handledCurrent = buildId;
		if (!buildId || buildId === live?.buildId) return;
		const next = await loadNewestGoodBuild(dataDir);
		if (next !== live) console.info(`glassbox: now serving build ${next.buildId}`);
		makeLive(next);
		unavailable = null;
	} catch (error) {
		if (error instanceof NoBuildError && !live) unavailable = error;
		console.error(`glassbox: new build not loaded, still serving the previous one: ${error}`);
	} finally {
		reloading = false;
	}
	// A build published while this one was loading is picked up now.
	const latest = await readCurrentBuildId(dataDir).catch(() => null);
	if (latest && latest !== handledCurrent) void reloadIfChanged(dataDir);
}
