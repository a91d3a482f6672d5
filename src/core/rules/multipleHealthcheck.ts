import { onlyLastCounts } from './multipleInstructions';

export const multipleHealthcheck = onlyLastCounts('multiple-healthcheck', 'HEALTHCHECK', 'DL3012', 'DS-0023',
  'More than one HEALTHCHECK in a stage: only the last one takes effect');
