import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { version } from 'pdfjs-dist/package.json';
import { pdfjsAssetFile } from '../../src/lib/server/pdfjs-assets.ts';

describe('pdfjsAssetFile', () => {
	it('finds the standard fonts, character maps and decoders of the installed pdf.js', () => {
		for (const [folder, file] of [
			['standard_fonts', 'FoxitSymbol.pfb'],
			['cmaps', 'UniJIS-UTF16-H.bcmap'],
			['wasm', 'openjpeg.wasm']
		]) {
			const asset = pdfjsAssetFile(version, folder, file, version);
			expect(asset, `${folder}/${file}`).not.toBeNull();
			expect(existsSync(asset!.path)).toBe(true);
		}
		expect(pdfjsAssetFile(version, 'wasm', 'openjpeg.wasm', version)?.type).toBe(
			'application/wasm'
		);
	});

	it('refuses other versions, other folders, paths and file types', () => {
		expect(pdfjsAssetFile('1.0.0', 'cmaps', 'UniJIS-UTF16-H.bcmap', version)).toBeNull();
		expect(pdfjsAssetFile(version, 'build', 'pdf.mjs', version)).toBeNull();
		expect(pdfjsAssetFile(version, 'cmaps', '../package.json', version)).toBeNull();
		expect(pdfjsAssetFile(version, 'cmaps', '..', version)).toBeNull();
		expect(pdfjsAssetFile(version, 'wasm', 'LICENSE_QCMS', version)).toBeNull();
	});
});
