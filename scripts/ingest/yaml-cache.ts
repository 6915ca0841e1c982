/**
 * The corpus's YAML files as the previous ingest parsed them (`cache/parsed-yaml.json`), so that
 * an ingest parses only the files that changed: parsing 1,000 papers' YAML took 1.1 s of CPU,
 * reading the kept values back a few milliseconds.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ParsedYamlCache } from '../../src/lib/corpus/read.ts';
import { parsedYamlCachePath, writeFileAtomic } from '../../src/lib/server/data-dir.ts';

/** A {@link ParsedYamlCache} over the kept file, and how to write back what this run used. */
export interface KeptParsedYaml extends ParsedYamlCache {
	/** Writes the values asked for or added since loading (others belong to files now gone). */
	save(): Promise<void>;
}

/** Loads the kept parsed YAML of `dataDir`; a missing or damaged file is an empty cache. */
export async function loadParsedYaml(dataDir: string): Promise<KeptParsedYaml> {
	const file = parsedYamlCachePath(dataDir);
	let kept: Record<string, unknown> = {};
	try {
		const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
		if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
			kept = parsed as Record<string, unknown>;
		}
	} catch {
		// Nothing kept yet, or unreadable: every file is parsed.
	}
	const used = new Map<string, unknown>();
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
