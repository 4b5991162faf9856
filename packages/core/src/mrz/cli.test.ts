import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMrzCli, type MrzCliOutput } from './cli.ts';
import { ICAO_SPECIMEN_MRZ } from './specimens.ts';

const TD3 = `${ICAO_SPECIMEN_MRZ.TD3.join('\n')}\n`;

describe('ekyc-mrz (function)', () => {
  it('prints the documented JSON and exits 0 for a valid MRZ', () => {
    const run = runMrzCli(TD3, []);
    expect(run.exitCode).toBe(0);
    const out = JSON.parse(run.stdout) as MrzCliOutput;
    expect(Object.keys(out)).toEqual(['format', 'valid', 'fields', 'corrected', 'corrections', 'errors']);
    expect(Object.keys(out.fields)).toEqual(['documentCode', 'issuingState', 'surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'sex', 'expiryDate', 'optionalData', 'optionalData2']);
    expect(out).toMatchObject({ format: 'TD3', valid: true, corrections: [], errors: [] });
    expect(out.fields).toMatchObject({ surname: 'ERIKSSON', givenNames: 'ANNA MARIA', issuingState: 'UTO', optionalData2: null });
  });

  it('exits 1 with error codes for an invalid MRZ, and 2 on usage errors', () => {
    const bad = runMrzCli(TD3.replace('7408122', '7408123'), []);
    expect(bad.exitCode).toBe(1);
    expect((JSON.parse(bad.stdout) as MrzCliOutput).errors.map((e) => e.code)).toContain('mrz_check_digit');
    expect(runMrzCli('hello\n', []).exitCode).toBe(1);
    expect(JSON.parse(runMrzCli('hello world this is long\n', []).stdout)).toMatchObject({ format: null, valid: false });
    expect(runMrzCli('', []).exitCode).toBe(2);
    expect(runMrzCli(TD3, ['--bogus']).exitCode).toBe(2);
    expect(runMrzCli(TD3, ['--strict']).exitCode).toBe(1);
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
  }, 120_000);
});
