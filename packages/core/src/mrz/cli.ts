/**
 * The `ekyc-mrz` command as a pure function (the bin file only does I/O). The JSON printed is a
 * contract with auditors' scripts: keys and meanings are documented in docs/mrz.md.
 */
import { MRZ_OUTPUT_FIELDS, type MrzOutputFieldName } from './parse.ts';
import { readMrz } from './read.ts';

export const MRZ_CLI_USAGE = `Usage: ekyc-mrz [--strict] < lines.txt

Reads MRZ lines from stdin (one per line; OCR output is fine), prints one JSON object:
{ format, valid, fields, corrected, corrections, errors }.
Exit status: 0 valid, 1 not valid, 2 usage error.

  --strict   treat characters no check digit can confirm (G/6, K/<) as ambiguous
  --help     print this text
`;

export interface MrzCliOutput {
  readonly format: 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB' | null;
  readonly valid: boolean;
  readonly fields: Record<MrzOutputFieldName, string | null>;
  readonly corrected: readonly string[];
  readonly corrections: readonly { line: number; column: number; from: string; to: string }[];
  readonly errors: readonly { code: string; message: string }[];
}

export interface MrzCliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: 0 | 1 | 2;
}

export function runMrzCli(stdin: string, args: readonly string[]): MrzCliRun {
  let strict = false;
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return { stdout: MRZ_CLI_USAGE, stderr: '', exitCode: 0 };
    if (arg === '--strict') strict = true;
    else return { stdout: '', stderr: `ekyc-mrz: unknown argument\n${MRZ_CLI_USAGE}`, exitCode: 2 };
  }
  const lines = stdin.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return { stdout: '', stderr: `ekyc-mrz: no MRZ lines on stdin\n${MRZ_CLI_USAGE}`, exitCode: 2 };
  const result = readMrz(lines, { strict });
  const fields = Object.fromEntries(MRZ_OUTPUT_FIELDS.map((name) => [name, result.fields[name]?.value ?? null])) as Record<MrzOutputFieldName, string | null>;
  const output: MrzCliOutput = {
    format: result.format,
    valid: result.valid,
    fields,
    corrected: result.corrected,
    corrections: result.corrections,
    errors: result.errors.map((e) => ({ code: e.code, message: e.message })),
  };
  return { stdout: `${JSON.stringify(output)}\n`, stderr: '', exitCode: result.valid ? 0 : 1 };
}
