/**
 * The reproduction report: every figure a lesson computes, recorded next to the seed's, and the checks a lesson makes
 * of its own results.
 */
package convkit.report;
