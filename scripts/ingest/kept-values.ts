/**
 * Values kept between ingests in one JSON file of the data folder, each under a key that names
 * what it was made from: the parsed YAML files, the inferred topics, the hashes of the PDFs.
 * Saving writes only the values asked for or added in this run (the others belong to files and
 * papers that are gone), so the file never grows with what the corpus no longer has.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../src/lib/server/data-dir.ts';

/** Kept values by key, and how to write back what this run used. */
export interface KeptValues<T> {
	get(key: string): T | undefined;
	set(key: string, value: T): void;
	/** Writes the values asked for or added since loading. */
	save(): Promise<void>;
}

/** Loads the values kept in `file`; a missing or damaged file is an empty store. */
export async function loadKeptValues<T>(file: string): Promise<KeptValues<T>> {
	let kept: Record<string, T> = {};
	try {
		const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			kept = parsed as Record<string, T>;
		}
	} catch {
		// Nothing kept yet, or unreadable: every value is made again.
	}
	const used = new Map<string, T>();
	return {
		get(key) {
			const value = Object.hasOwn(kept, key) ? kept[key] : undefined;
			if (value !== undefined) used.set(key, value);
			return value;
		},
		set(key, value) {
			used.set(key, value);
		},
		async save() {
			await mkdir(dirname(file), { recursive: true });
			await writeFileAtomic(file, JSON.stringify(Object.fromEntries(used)));
		}
	};
}
