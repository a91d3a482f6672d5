import { onlyLastCounts } from './multipleInstructions';

export const multipleEntrypoint = onlyLastCounts('multiple-entrypoint', 'ENTRYPOINT', 'DL4004', 'DS-0007',
  'More than one ENTRYPOINT in a stage: only the last one takes effect');
