/**
 * The `ekyc-mrz` command as functions (packages/core/bin/ekyc-mrz.js only wires stdin and stdout).
 * Not exported from `@ekyc/core`: the bin imports this module from `dist/mrz/cli.js`. The JSON
 * printed is a contract with auditors' scripts: keys and meanings are documented in docs/mrz.md.
 */
import { MRZ_OUTPUT_FIELDS, type MrzOutputFieldName } from './parse.ts';
import { MRZ_MAX_INPUT_CHARS, readMrz } from './read.ts';

/**
 * Bytes of stdin read at most. An MRZ with OCR noise is a few hundred bytes; this is `readMrz`'s own
 * input limit, so nothing the CLI accepts is refused later. Reading stops past it.
 */
export const MRZ_CLI_MAX_INPUT_BYTES = MRZ_MAX_INPUT_CHARS;

export const MRZ_CLI_USAGE = `Usage: ekyc-mrz [--strict] < lines.txt

Reads MRZ lines from stdin (one per line; OCR output is fine; at most ${MRZ_CLI_MAX_INPUT_BYTES} bytes,
reading stops past that), prints one JSON object:
{ format, valid, expired, fields, uncertainFields, uncertain, corrected, corrections, errors }.
A valid MRZ may still be expired or hold uncertain fields: check expired and uncertainFields.
Exit status: 0 valid, 1 not valid (input too large included), 2 usage error.

  --strict   treat characters no check digit can confirm (G/6, K/<) as ambiguous
  --help     print this text
`;

export interface MrzCliOutput {
  readonly format: 'TD1' | 'TD2' | 'TD3' | 'MRVA' | 'MRVB' | null;
  readonly valid: boolean;
  /** The expiry date lies in the past; null when it could not be read. */
  readonly expired: boolean | null;
  readonly fields: Record<MrzOutputFieldName, string | null>;
  /** Fields holding a character no check digit confirms: show them as unconfirmed. */
  readonly uncertainFields: readonly MrzOutputFieldName[];
  readonly uncertain: readonly { line: number; column: number; alternatives: string }[];
  readonly corrected: readonly string[];
  readonly corrections: readonly { line: number; column: number; from: string; to: string }[];
  readonly errors: readonly { code: string; message: string }[];
}

export interface MrzCliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: 0 | 1 | 2;
}

/** Stdin as read by `readCappedInput`: `overflow` when it went past the cap (the text is then empty). */
export interface MrzCliInput {
  readonly text: string;
  readonly overflow: boolean;
}

/**
 * Reads chunks until the end or until more than `cap` bytes arrived; then it stops pulling (the
 * stream is closed) and keeps nothing.
 */
export async function readCappedInput(chunks: AsyncIterable<Uint8Array>, cap: number = MRZ_CLI_MAX_INPUT_BYTES): Promise<MrzCliInput> {
  const kept: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.byteLength;
    if (bytes > cap) return { text: '', overflow: true };
    kept.push(chunk);
  }
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of kept) { all.set(chunk, at); at += chunk.byteLength; }
  return { text: new TextDecoder().decode(all), overflow: false };
}

function usage(message: string): MrzCliRun {
  return { stdout: '', stderr: `ekyc-mrz: ${message}\n${MRZ_CLI_USAGE}`, exitCode: 2 };
}

/** The answer to `--help` or a bad argument, which needs no input; undefined when stdin must be read. */
export function answerWithoutInput(args: readonly string[]): MrzCliRun | undefined {
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return { stdout: MRZ_CLI_USAGE, stderr: '', exitCode: 0 };
    if (arg !== '--strict') return usage('unknown argument');
  }
  return undefined;
}

export function runMrzCli(input: MrzCliInput | string, args: readonly string[]): MrzCliRun {
  const early = answerWithoutInput(args);
  if (early) return early;
  const strict = args.includes('--strict');
  const { text, overflow } = typeof input === 'string' ? { text: input, overflow: false } : input;
  if (overflow) {
    const output = emptyOutput([{ code: 'mrz_input_too_large', message: `More than ${MRZ_CLI_MAX_INPUT_BYTES} bytes on stdin; nothing was read.` }]);
    return { stdout: `${JSON.stringify(output)}\n`, stderr: '', exitCode: 1 };
  }
  const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim().length > 0);
  if (lines.length === 0) return usage('no MRZ lines on stdin');
  const result = readMrz(lines, { strict });
  const fields = Object.fromEntries(MRZ_OUTPUT_FIELDS.map((name) => [name, result.fields[name]?.value ?? null])) as Record<MrzOutputFieldName, string | null>;
  const output: MrzCliOutput = {
    format: result.format,
    valid: result.valid,
    expired: result.expired,
    fields,
    uncertainFields: result.uncertainFields,
    uncertain: result.uncertain.map((u) => ({ line: u.line, column: u.column, alternatives: u.alternatives })),
    corrected: result.corrected,
    corrections: result.corrections,
    errors: result.errors.map((e) => ({ code: e.code, message: e.message })),
  };
  return { stdout: `${JSON.stringify(output)}\n`, stderr: '', exitCode: result.valid ? 0 : 1 };
}

function emptyOutput(errors: MrzCliOutput['errors']): MrzCliOutput {
  const fields = Object.fromEntries(MRZ_OUTPUT_FIELDS.map((name) => [name, null])) as Record<MrzOutputFieldName, string | null>;
  return { format: null, valid: false, expired: null, fields, uncertainFields: [], uncertain: [], corrected: [], corrections: [], errors };
}
