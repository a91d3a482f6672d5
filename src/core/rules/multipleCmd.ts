import { onlyLastCounts } from './multipleInstructions';

export const multipleCmd = onlyLastCounts('multiple-cmd', 'CMD', 'DL4003', 'DS-0016',
  'More than one CMD in a stage: only the last one takes effect');
