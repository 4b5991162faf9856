/**
 * A driving licence re-checked on the server from its printed fields (`ekyc.licence.read`,
 * docs/verifier.md). The checks and their routing are core's (`rescore.rescoreLicence`, routed
 * through `rescore.DOCUMENT_ROUTING`, the table the MRZ path uses), so the auditor page re-checks a
 * licence with the very same code.
 */
import { rescore as coreRescore } from '@ekyc/core';

export const LICENCE_READ_TYPE = coreRescore.LICENCE_READ_TYPE;
export const licenceReadSchema = coreRescore.licenceReadSchema;
export const findLicenceRead = coreRescore.findLicenceRead;
export const checkLicenceRead = coreRescore.checkLicenceRead;
export const rescoreLicence = coreRescore.rescoreLicence;
export type LicenceRead = coreRescore.LicenceRead;
export type LicenceFindings = coreRescore.LicenceFindings;
export type LicenceRescore = coreRescore.LicenceRescore;
export type LicenceCheckConfig = coreRescore.DocumentRescoreConfig;
