/** Public surface of the analysis core (no `vscode` import anywhere under src/core). */
export * from './types';
export * from './model';
export * from './imageRef';
export * from './variables';
export * from './rule';
export * from './registry';
export * from './config';
export * from './pragmas';
export * from './analyze';
export * from './l10n';
export * from './instructions';
export * from './fs';
export * from './fileNames';
