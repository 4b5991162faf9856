/**
 * MRZs of the ICAO Doc 9303 specimens (fictitious state Utopia, `UTO`), one per layout: fixtures
 * for tests, benchmarks and demos. No DOM use, so Node tests import this module path directly
 * (`@ekyc/testkit/mrz-specimens`).
 */
import type { MrzFormat } from '@ekyc/core';

export const ICAO_SPECIMEN_MRZ: Readonly<Record<MrzFormat, readonly string[]>> = {
  TD1: ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'],
  TD2: ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
  TD3: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'],
  MRVA: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L8988901C4XXX4009078F96121096ZE184226B<<<<<<'],
  MRVB: ['V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'L8988901C4XXX4009078F9612109<<<<<<<<'],
};
