import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	buildDir,
	buildsDir,
	ensureDataDirs,
	newBuildId,
	publishBuild,
	readCurrentBuildId
} from '../../src/lib/server/data-dir.ts';
import { writeBuildManifest } from '../../src/lib/server/build-manifest.ts';

describe('data-dir', () => {
	it('reports no live build before the first publish', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-data-'));
		expect(await readCurrentBuildId(dataDir)).toBeNull();
	});

	it('makes a published build live and keeps only the two before it', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-data-'));
		await ensureDataDirs(dataDir);
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) {
			const id = newBuildId(new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
			ids.push(id);
			await mkdir(buildDir(dataDir, id));
			await writeFile(join(buildDir(dataDir, id), 'catalog.json'), '{}');
			await writeBuildManifest(buildDir(dataDir, id));
			await publishBuild(dataDir, id);
			expect(await readCurrentBuildId(dataDir)).toBe(id);
		}
		expect(readdirSync(buildsDir(dataDir)).sort()).toEqual(ids.slice(2));
		expect(existsSync(buildDir(dataDir, ids[0]))).toBe(false);
	});

	it('refuses to publish a build that has no manifest (was never finished)', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'glassbox-data-'));
		await ensureDataDirs(dataDir);
		const id = newBuildId();
		await mkdir(buildDir(dataDir, id));
		await expect(publishBuild(dataDir, id)).rejects.toThrow(
			/not published: it has no manifest.json/
		);
		expect(await readCurrentBuildId(dataDir)).toBeNull();
	});

	it('gives build ids that sort in time order', () => {
		const earlier = newBuildId(new Date(Date.UTC(2026, 0, 1)));
		const later = newBuildId(new Date(Date.UTC(2026, 0, 2)));
		expect([later, earlier].sort()).toEqual([earlier, later]);
	});
});
