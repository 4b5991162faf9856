/**
 * Codes that may stand in the issuing state and nationality fields, per ICAO Doc 9303 Part 3
 * (section 5, "Codes for nationality, place of birth, location of issuing state/authority").
 *
 * Written as data here because no maintained npm package carries the ICAO list: ISO 3166 packages
 * lack the ICAO-only codes (`D`, `EUE`, `UNO`, `XXA`, ...) and carry `DEU`, which ICAO does not use.
 * Codes are stored without fillers: the MRZ writes Germany as `D<<`, looked up here as `D`.
 */

/** ISO 3166-1 alpha-3 codes, as ICAO uses them (Germany is `D`, so `DEU` is left out). */
const ISO_STATES_AND_TERRITORIES =
  'AFG ALA ALB DZA ASM AND AGO AIA ATA ATG ARG ARM ABW AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BMU BTN BOL BES ' +
  'BIH BWA BVT BRA IOT BRN BGR BFA BDI CPV KHM CMR CAN CYM CAF TCD CHL CHN CXR CCK COL COM COG COD COK CRI CIV HRV ' +
  'CUB CUW CYP CZE DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FLK FRO FJI FIN FRA GUF PYF ATF GAB GMB GEO GHA ' +
  'GIB GRC GRL GRD GLP GUM GTM GGY GIN GNB GUY HTI HMD VAT HND HKG HUN ISL IND IDN IRN IRQ IRL IMN ISR ITA JAM JPN ' +
  'JEY JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MAC MDG MWI MYS MDV MLI MLT MHL MTQ MRT ' +
  'MUS MYT MEX FSM MDA MCO MNG MNE MSR MAR MOZ MMR NAM NRU NPL NLD NCL NZL NIC NER NGA NIU NFK MKD MNP NOR OMN PAK ' +
  'PLW PSE PAN PNG PRY PER PHL PCN POL PRT PRI QAT REU ROU RUS RWA BLM SHN KNA LCA MAF SPM VCT WSM SMR STP SAU SEN ' +
  'SRB SYC SLE SGP SXM SVK SVN SLB SOM ZAF SGS SSD ESP LKA SDN SUR SJM SWE CHE SYR TWN TJK TZA THA TLS TGO TKL TON ' +
  'TTO TUN TUR TKM TCA TUV UGA UKR ARE GBR USA UMI URY UZB VUT VEN VNM VGB VIR WLF ESH YEM ZMB ZWE';

/** Codes ICAO 9303-3 adds to ISO 3166: Germany, British nationality classes, the UN, the EU, other organizations, stateless and refugees, and Kosovo. */
const ICAO_ADDITIONS: Readonly<Record<string, string>> = {
  D: 'Germany',
  GBD: 'British Overseas Territories Citizen',
  GBN: 'British National (Overseas)',
  GBO: 'British Overseas Citizen',
  GBP: 'British Protected Person',
  GBS: 'British Subject',
  EUE: 'European Union',
  UNO: 'United Nations Organization or one of its officials',
  UNA: 'Specialized agency of the United Nations or one of its officials',
  UNK: 'Resident of Kosovo to whom a travel document has been issued by UNMIK',
  XBA: 'African Development Bank',
  XIM: 'African Export-Import Bank',
  XCC: 'Caribbean Community or one of its emissaries',
  XCE: 'Council of Europe',
  XCO: 'Common Market for Eastern and Southern Africa',
  XDC: 'Southern African Development Community',
  XEC: 'Economic Community of West African States',
  XES: 'Organization of Eastern Caribbean States',
  XMP: 'Parliamentary Assembly of the Mediterranean',
  XOM: 'Sovereign Military Order of Malta or one of its emissaries',
  XPO: 'International Criminal Police Organization',
  XXA: 'Stateless person (1954 Convention)',
  XXB: 'Refugee (1951 Convention)',
  XXC: 'Refugee (other than 1951 Convention)',
  XXX: 'Person of unspecified nationality',
  RKS: 'Kosovo',
  // Withdrawn from ISO 3166 but still read on older documents.
  ANT: 'Netherlands Antilles (historical)',
  NTZ: 'Neutral Zone (historical)',
};

/** `UTO` (Utopia) is the fictitious state of the ICAO 9303 specimens; documents bearing it are never genuine. */
export const SPECIMEN_COUNTRY_CODES: ReadonlySet<string> = new Set(['UTO']);

export const ICAO_COUNTRY_CODES: ReadonlySet<string> = new Set([
  ...ISO_STATES_AND_TERRITORIES.split(' '),
  ...Object.keys(ICAO_ADDITIONS),
  ...SPECIMEN_COUNTRY_CODES,
]);

/** True for a code in the ICAO list, given without fillers (`D`, not `D<<`). */
export function isIcaoCountryCode(code: string): boolean {
  return ICAO_COUNTRY_CODES.has(code);
}

/** Name of an ICAO-only code (not in ISO 3166), for display; undefined for ISO codes. */
export function icaoSpecialCodeName(code: string): string | undefined {
  return Object.hasOwn(ICAO_ADDITIONS, code) ? ICAO_ADDITIONS[code] : undefined;
}
