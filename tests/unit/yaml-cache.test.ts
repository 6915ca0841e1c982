import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadParsedYaml } from '../../scripts/ingest/yaml-cache.ts';
import { parsedYamlCachePath } from '../../src/lib/server/data-dir.ts';

describe('loadParsedYaml', () => {
	it('keeps what a run parsed or used for the next run, and forgets files no longer read', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-yaml-cache-'));
		const first = await loadParsedYaml(dataDir);
		first.set('gone', { title: 'A paper since removed' });
		first.set('stays', { title: 'A paper still there' });
		await first.save();
		const second = await loadParsedYaml(dataDir);
		expect(second.get('stays')).toEqual({ title: 'A paper still there' });
		second.set('new', { title: 'A paper added' });
		await second.save();
		const third = await loadParsedYaml(dataDir);
		expect(third.get('gone')).toBeUndefined();
		expect(third.get('stays')).toEqual({ title: 'A paper still there' });
		expect(third.get('new')).toEqual({ title: 'A paper added' });
	});

	it('starts empty over a damaged file, and replaces it', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-yaml-cache-'));
		mkdirSync(dirname(parsedYamlCachePath(dataDir)), { recursive: true });
		writeFileSync(parsedYamlCachePath(dataDir), '{"half": ');
		const cache = await loadParsedYaml(dataDir);
		expect(cache.get('half')).toBeUndefined();
		cache.set('whole', 1);
		await cache.save();
		expect(JSON.parse(readFileSync(parsedYamlCachePath(dataDir), 'utf8'))).toEqual({ whole: 1 });
	});
});
