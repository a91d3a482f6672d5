// What each fixture in test/fixtures/workspace must (and must not) report, per the extension's contract.
// Lines are 0-based. Only the contract's rules are listed; `clean.dockerfile` must report nothing at all.
export interface Expectation {
  file: string;
  /** rule id → 0-based line of the instruction it is reported on (undefined = any line) */
  expect: Record<string, number | undefined>;
  /** rules that must not be reported */
  absent: string[];
}

export const CONTRACT_RULES = [
  'root-user',
  'missing-user',
  'latest-tag',
  'relative-workdir',
  'multiple-cmd',
  'copy-from-unknown-stage',
];

export const EXPECTATIONS: Expectation[] = [
  {
    file: 'Dockerfile',
    expect: { 'latest-tag': 1, 'root-user': 6 },
    absent: ['missing-user', 'relative-workdir', 'multiple-cmd', 'copy-from-unknown-stage'],
  },
  {
    file: 'Containerfile',
    expect: { 'latest-tag': 0, 'missing-user': undefined, 'relative-workdir': 2, 'multiple-cmd': undefined },
    absent: ['root-user', 'copy-from-unknown-stage'],
  },
  {
    file: 'stages.dockerfile',
    expect: { 'copy-from-unknown-stage': 6 },
    absent: ['latest-tag', 'missing-user', 'root-user', 'relative-workdir', 'multiple-cmd'],
  },
];
