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
import { buildDir, pdfStorePath, readCurrentBuildId, resolveDataDir } from './data-dir.ts';

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

/** Thrown while no build exists yet; routes turn it into a 503 that says what to run. */
export class NoBuildError extends Error {
	constructor(dataDir: string) {
		super(`No catalog has been built in ${dataDir} yet: run \`npm run ingest\`.`);
	}
}

/** What every catalog holds; a build from an older ingest may lack the later ones. */
const CATALOG_FIELDS = ['editions', 'papers', 'taxonomy', 'authors', 'similar', 'map'] as const;

/**
 * Reads a build's catalog.json; throws, naming the file and field, when a field the server
 * relies on is missing (a build from an older ingest: run the ingest again).
 */
export async function readCatalog(file: string): Promise<Catalog> {
	const catalog = JSON.parse(await readFile(file, 'utf8')) as Partial<Catalog>;
	for (const field of CATALOG_FIELDS) {
		if (catalog[field] === undefined || catalog[field] === null) {
			throw new Error(
				`${file}: ${field}: missing (built by an older ingest); run \`npm run ingest\``
			);
		}
	}
	return catalog as Catalog;
}

async function loadStore(dataDir: string, buildId: string): Promise<Store> {
	const dir = buildDir(dataDir, buildId);
	const catalog = await readCatalog(join(dir, 'catalog.json'));
	const engine = await loadSearchEngine(join(dir, 'search'), catalog);
	return new Store(dataDir, buildId, catalog, engine);
}

let live: Store | null = null;
let loading: Promise<Store> | null = null;
let watcher: FSWatcher | null = null;

/** Loads the live build on first use, then follows DATA_DIR/current. */
export function getStore(): Promise<Store> {
	if (live) return Promise.resolve(live);
	loading ??= init().finally(() => (loading = null));
	return loading;
}

async function init(): Promise<Store> {
	const dataDir = resolveDataDir();
	followPublishedBuilds(dataDir);
	const buildId = await readCurrentBuildId(dataDir);
	if (!buildId) throw new NoBuildError(dataDir);
	live = await loadStore(dataDir, buildId);
	return live;
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

async function reloadIfChanged(dataDir: string): Promise<void> {
	if (reloading) return;
	reloading = true;
	try {
		const buildId = await readCurrentBuildId(dataDir);
		if (!buildId || buildId === live?.buildId) return;
		const next = await loadStore(dataDir, buildId);
		live = next;
		console.info(`glassbox: now serving build ${buildId}`);
	} catch (error) {
		console.error(`glassbox: new build not loaded, still serving the previous one: ${error}`);
	} finally {
		reloading = false;
	}
	// A build published while this one was loading is picked up now.
	const latest = await readCurrentBuildId(dataDir).catch(() => null);
	if (latest && latest !== live?.buildId) void reloadIfChanged(dataDir);
}
