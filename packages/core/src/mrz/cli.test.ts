import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MRZ_CLI_MAX_INPUT_BYTES, readCappedInput, runMrzCli, type MrzCliOutput } from './cli.ts';
import { ICAO_SPECIMEN_MRZ } from '@ekyc/testkit/mrz-specimens';

const TD3 = `${ICAO_SPECIMEN_MRZ.TD3.join('\n')}\n`;

describe('ekyc-mrz (function)', () => {
  it('prints the documented JSON and exits 0 for a valid MRZ', () => {
    const run = runMrzCli(TD3, []);
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as MrzCliOutput;
    expect(Object.keys(out)).toEqual(['format', 'valid', 'expired', 'fields', 'uncertainFields', 'uncertain', 'corrected', 'corrections', 'errors']);
    expect(Object.keys(out.fields)).toEqual(['documentCode', 'issuingState', 'surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'sex', 'expiryDate', 'optionalData', 'optionalData2']);
    expect(out).toMatchObject({ format: 'TD3', valid: true, expired: true, corrections: [], errors: [] });
    // The specimen's `6` in the personal number could be a `G`: no check digit tells them apart.
    expect(out).toMatchObject({ uncertainFields: ['optionalData'], uncertain: [{ line: 1, column: 35, alternatives: 'G' }] });
    expect(out.fields).toMatchObject({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', issuingState: 'UTO', optionalData2: null });
  });

  it('exits 1 with error codes for an invalid MRZ, and 2 on usage errors', () => {
    const bad = runMrzCli(TD3.replace('7408122', '7408123'), []);
    expect(bad.exitCode).toBe(1);
    expect((JSON.parse(bad.stdout) as MrzCliOutput).errors.map((e) => e.code)).toContain('mrz_check_digit');
    expect(runMrzCli('hello\n', []).exitCode).toBe(1);
    expect(JSON.parse(runMrzCli('hello world this is long\n', []).stdout)).toMatchObject({ format: null, valid: false, corrected: [] });
    expect(runMrzCli('', []).exitCode).toBe(2);
    expect(runMrzCli(TD3, ['--bogus']).exitCode).toBe(2);
    expect(runMrzCli(TD3, ['--strict']).exitCode).toBe(1);
  });
});

describe('ekyc-mrz (hardening)', () => {
  it('shows uncertain names and expiry for an OCR read with K for `<`', () => {
    const out = JSON.parse(runMrzCli(TD3.replace('<<', 'K<'), []).stdout) as MrzCliOutput;
    expect(out.fields).toMatchObject({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA' });
    expect(out.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    expect(out.uncertain).toContainEqual({ line: 0, column: 13, alternatives: 'K' });
    expect(out.expired).toBe(true);
  });

  it('stops reading stdin past the cap and keeps nothing of it', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) { pulled++; yield new Uint8Array(1024).fill(65); }
    }
    const input = await readCappedInput(endless());
    expect(input).toEqual({ text: '', overflow: true });
    expect(pulled).toBe(Math.floor(MRZ_CLI_MAX_INPUT_BYTES / 1024) + 1);
  });

  it('answers input over the cap with one small JSON object, never an echo', () => {
    const run = runMrzCli({ text: '', overflow: true }, []);
    expect(run.exitCode).toBe(1);
    expect(run.stdout.length).toBeLessThan(600);
    expect(JSON.parse(run.stdout)).toMatchObject({ format: null, valid: false, corrected: [], errors: [{ code: 'mrz_input_too_large' }] });
  });
});

describe('ekyc-mrz (process)', () => {
  it('runs from the package bin after a build', () => {
    // The build's exit status reflects every module of the package; only the emitted CLI matters here.
    spawnSync('npm', ['run', 'build', '-w', '@ekyc/core'], { stdio: 'ignore' });
    expect(existsSync('packages/core/dist/mrz/cli.js')).toBe(true);
    const ocr = TD3.replace('L898902C3', 'L8989O2C3');
    const run = spawnSync('node', ['packages/core/bin/ekyc-mrz.js'], { input: ocr, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as MrzCliOutput;
    expect(out.corrections).toEqual([{ line: 1, column: 5, from: 'O', to: '0' }]);
    expect(spawnSync('node', ['packages/core/bin/ekyc-mrz.js', '--nope'], { input: '', encoding: 'utf8' }).status).toBe(2);
    // 10 MB of noise: refused after the cap, with a reply of a few hundred bytes.
    const noise = Buffer.alloc(10 * 1024 * 1024, 'KK<<0#\n');
    const big = spawnSync('node', ['packages/core/bin/ekyc-mrz.js'], { input: noise, encoding: 'utf8' });
    expect(big.status).toBe(1);
    expect(big.stdout.length).toBeLessThan(600);
    expect((JSON.parse(big.stdout) as MrzCliOutput).errors.map((e) => e.code)).toEqual(['mrz_input_too_large']);
  }, 120_000);
});
