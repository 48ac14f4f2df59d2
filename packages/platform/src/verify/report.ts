// The conformance kit's report (docs/verify.md): one result per check with its evidence, and the
// JUnit XML CI systems read. No I/O here.

export type CheckStatus = 'pass' | 'fail' | 'warn';
export const verifyProducts = ['save-to-pay', 'add-to-wallet', 'web-checkout'] as const;
export type VerifyProduct = (typeof verifyProducts)[number];

/** What the check sent, what came back, and what the documents require. Never a secret. */
export interface Evidence {
  request: string;
  answer: string;
  required: string;
  /** The delivery log record of the call, when it went through the delivery module. */
  deliveryId?: string;
}

export interface CheckResult {
  /** Stable, e.g. `s2p.wa-ready.blob`. */
  id: string;
  title: string;
  status: CheckStatus;
  /** One sentence: why it passed, failed or warned. */
  finding: string;
  evidence: Evidence;
}

export interface VerifyReport {
  product: VerifyProduct;
  partnerId: string;
  faults: boolean;
  startedAt: number;
  checks: CheckResult[];
  summary: { pass: number; fail: number; warn: number };
  ok: boolean;
}

export function summarize(
  product: VerifyProduct,
  partnerId: string,
  faults: boolean,
  startedAt: number,
  checks: CheckResult[],
): VerifyReport {
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const summary = { pass: count('pass'), fail: count('fail'), warn: count('warn') };
  return { product, partnerId, faults, startedAt, checks, summary, ok: summary.fail === 0 };
}

/** Cuts a text for the evidence (answers can be long); the cut is marked. */
export function excerpt(text: string | undefined | null, max = 400): string {
  if (text === undefined || text === null || text === '') return '(empty)';
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

const xml = (s: string) =>
  s
    .replace(
      /[<>&"']/g,
      (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
    )
    // XML 1.0 forbids most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testsuite per report, one testcase per check; fail = <failure>, warn = <system-out>. */
export function toJUnit(reports: VerifyReport[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = reports.reduce((n, r) => n + r.checks.length, 0);
  const failures = reports.reduce((n, r) => n + r.summary.fail, 0);
  lines.push(`<testsuites name="cardport verify" tests="${total}" failures="${failures}">`);
  for (const r of reports) {
    const name = `${r.product}${r.faults ? ' (faults)' : ''} partner ${r.partnerId}`;
    lines.push(
      `  <testsuite name="${xml(name)}" tests="${r.checks.length}" failures="${r.summary.fail}" timestamp="${new Date(r.startedAt).toISOString()}">`,
    );
    for (const c of r.checks) {
      const evidence = `request: ${c.evidence.request}\nanswer: ${c.evidence.answer}\nrequired: ${c.evidence.required}${c.evidence.deliveryId ? `\ndelivery: ${c.evidence.deliveryId}` : ''}`;
      lines.push(
        `    <testcase classname="${xml(`cardport.verify.${r.product}`)}" name="${xml(`${c.id}: ${c.title}`)}">`,
      );
      if (c.status === 'fail') {
        lines.push(`      <failure message="${xml(c.finding)}">${xml(evidence)}</failure>`);
      } else {
        lines.push(
          `      <system-out>${xml(`${c.status.toUpperCase()}: ${c.finding}\n${evidence}`)}</system-out>`,
        );
      }
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
