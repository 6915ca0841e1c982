/**
 * The corpus's YAML files as the previous ingest parsed them (`cache/parsed-yaml.json`), so that
 * an ingest parses only the files that changed: parsing 1,000 papers' YAML took 1.1 s of CPU,
 * reading the kept values back a few milliseconds.
 */
import { parsedYamlCachePath } from '../../src/lib/server/data-dir.ts';
import { loadKeptValues, type KeptValues } from './kept-values.ts';

/** The kept parsed YAML of `dataDir` (a `ParsedYamlCache`); a missing or damaged file is empty. */
export function loadParsedYaml(dataDir: string): Promise<KeptValues<unknown>> {
	return loadKeptValues<unknown>(parsedYamlCachePath(dataDir));
}
