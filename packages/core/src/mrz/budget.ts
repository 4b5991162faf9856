/**
 * One budget for everything a `readMrz` call evaluates: each assignment the check-digit search
 * tries and each reading of a short field counts as one candidate, across every layout, line-length
 * fix, `«` reading and long-document-number structure. When it is spent, the search stops and the
 * read is refused (`mrz_search_exhausted`) rather than answered from a partial search.
 */

/**
 * Candidates one read may evaluate. An ordinary read with up to 3 confusions and lost fillers needs
 * far fewer (measured: see docs/mrz.md); the worst inputs found before this budget needed over
 * 10 million. 60 000 candidates cost about 10 ms on the 2-core VM.
 */
export const MRZ_SEARCH_BUDGET = 60_000;

export class SearchBudget {
  private spentCount = 0;
  private exhaustedFlag = false;

  constructor(readonly limit: number = MRZ_SEARCH_BUDGET) {}

  /** Takes one candidate; false (and exhausted from then on) when none is left. */
  take(): boolean {
    if (this.spentCount >= this.limit) {
      this.exhaustedFlag = true;
      return false;
    }
    this.spentCount++;
    return true;
  }

  get spent(): number {
    return this.spentCount;
  }

  get exhausted(): boolean {
    return this.exhaustedFlag;
  }
}
