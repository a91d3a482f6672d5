/** Every rule, in the order they are documented. Add a rule here and give it a docs page. */
import type { Rule } from './rule';
import { bindMountBuildInput } from './rules/bindMountBuildInput';
import { inlineIgnorePragma } from './rules/inlineIgnorePragma';
import { copyFromUnknownStage } from './rules/copyFromUnknownStage';
import { fromAsCasing } from './rules/fromAsCasing';
import { latestTag } from './rules/latestTag';
import { missingUser } from './rules/missingUser';
import { multipleCmd } from './rules/multipleCmd';
import { multipleEntrypoint } from './rules/multipleEntrypoint';
import { multipleHealthcheck } from './rules/multipleHealthcheck';
import { relativeWorkdir } from './rules/relativeWorkdir';
import { rootUser } from './rules/rootUser';
import { stageNameCasing } from './rules/stageNameCasing';
import { syntaxError } from './rules/syntaxError';
// Package-manager rules (RUN commands read through the shell parse).
import { apkAddNoCache } from './rules/apkAddNoCache';
import { aptGetNoInstallRecommends } from './rules/aptGetNoInstallRecommends';
import { aptListsNotRemoved } from './rules/aptListsNotRemoved';
import { aptNotAptGet } from './rules/aptNotAptGet';
import { distUpgrade } from './rules/distUpgrade';
import { missingAssumeYes } from './rules/missingAssumeYes';
import { packageCacheMount } from './rules/packageCacheMount';
import { packageIndexUpdateAlone } from './rules/packageIndexUpdateAlone';
import { pipNoCacheDir } from './rules/pipNoCacheDir';
import { rpmCacheNotCleaned } from './rules/rpmCacheNotCleaned';
import { unpinnedPackageVersion } from './rules/unpinnedPackageVersion';
import { yarnCacheNotCleaned } from './rules/yarnCacheNotCleaned';
// Rules that read RUN's shell script (src/core/shell.ts).
import { cdInRun } from './rules/cdInRun';
import { chmodWorldWritable } from './rules/chmodWorldWritable';
import { chownInSeparateLayer } from './rules/chownInSeparateLayer';
import { chpasswdInRun } from './rules/chpasswdInRun';
import { curlPipeShell } from './rules/curlPipeShell';
import { defaultShellViaLn } from './rules/defaultShellViaLn';
import { pipeWithoutPipefail } from './rules/pipeWithoutPipefail';
import { pointlessCommand } from './rules/pointlessCommand';
import { secretArgInRun } from './rules/secretArgInRun';
import { sudoInRun } from './rules/sudoInRun';
import { tlsVerificationDisabled } from './rules/tlsVerificationDisabled';
import { useraddWithoutL } from './rules/useraddWithoutL';
import { wgetAndCurl } from './rules/wgetAndCurl';
import { wgetProgress } from './rules/wgetProgress';
// Rules that read the instruction structure (not RUN's shell).
import { addInsteadOfCopy } from './rules/addInsteadOfCopy';
import { addUrlWithoutChecksum } from './rules/addUrlWithoutChecksum';
import { copyDestinationSlash } from './rules/copyDestinationSlash';
import { copyFromRoot } from './rules/copyFromRoot';
import { copyRelativeDest } from './rules/copyRelativeDest';
import { duplicateStageName } from './rules/duplicateStageName';
import { emptyContinuationLine } from './rules/emptyContinuationLine';
import { envSelfReference } from './rules/envSelfReference';
import { exposeInvalid } from './rules/exposeInvalid';
import { exposeProtoCasing } from './rules/exposeProtoCasing';
import { exposeSsh } from './rules/exposeSsh';
import { instructionCasing } from './rules/instructionCasing';
import { jsonArgsRecommended } from './rules/jsonArgsRecommended';
import { labelSchema } from './rules/labelSchema';
import { legacyKeyValue } from './rules/legacyKeyValue';
import { maintainerDeprecated } from './rules/maintainerDeprecated';
import { missingHealthcheck } from './rules/missingHealthcheck';
import { nonNumericUser } from './rules/nonNumericUser';
import { onbuildRestrictions } from './rules/onbuildRestrictions';
import { platformFlag } from './rules/platformFlag';
import { reservedStageName } from './rules/reservedStageName';
import { secretInArgOrEnv } from './rules/secretInArgOrEnv';
import { undefinedVariable } from './rules/undefinedVariable';
import { untrustedRegistry } from './rules/untrustedRegistry';
import { workdirSystemDir } from './rules/workdirSystemDir';
// Build-cache rules (step order and cache keys).
import { broadCopyBeforeInstall } from './rules/broadCopyBeforeInstall';
import { volatileArgEarly } from './rules/volatileArgEarly';
import { runDownloadCache } from './rules/runDownloadCache';
import { consecutiveRun } from './rules/consecutiveRun';
import { copyArchiveThenExtract } from './rules/copyArchiveThenExtract';
// Rules that read the build context (only when the caller walked it: `AnalyzeOptions.context`).
import { contextNotIgnored } from './rules/contextNotIgnored';
import { copyIgnoredFile } from './rules/copyIgnoredFile';

export const RULES: readonly Rule[] = [
  syntaxError,
  rootUser,
  missingUser,
  latestTag,
  relativeWorkdir,
  multipleCmd,
  multipleEntrypoint,
  multipleHealthcheck,
  copyFromUnknownStage,
  stageNameCasing,
  fromAsCasing,
  // Package managers
  missingAssumeYes,
  aptNotAptGet,
  unpinnedPackageVersion,
  distUpgrade,
  packageIndexUpdateAlone,
  packageCacheMount,
  aptGetNoInstallRecommends,
  aptListsNotRemoved,
  apkAddNoCache,
  pipNoCacheDir,
  rpmCacheNotCleaned,
  yarnCacheNotCleaned,
  // RUN shell: security and correctness
  sudoInRun,
  tlsVerificationDisabled,
  curlPipeShell,
  chmodWorldWritable,
  chpasswdInRun,
  secretArgInRun,
  pipeWithoutPipefail,
  cdInRun,
  pointlessCommand,
  defaultShellViaLn,
  wgetAndCurl,
  wgetProgress,
  useraddWithoutL,
  chownInSeparateLayer,
  // Instruction structure
  secretInArgOrEnv,
  untrustedRegistry,
  exposeSsh,
  workdirSystemDir,
  addInsteadOfCopy,
  addUrlWithoutChecksum,
  nonNumericUser,
  duplicateStageName,
  reservedStageName,
  undefinedVariable,
  envSelfReference,
  onbuildRestrictions,
  copyDestinationSlash,
  copyRelativeDest,
  exposeInvalid,
  jsonArgsRecommended,
  platformFlag,
  emptyContinuationLine,
  missingHealthcheck,
  copyFromRoot,
  maintainerDeprecated,
  legacyKeyValue,
  instructionCasing,
  exposeProtoCasing,
  labelSchema,
  // Build cache
  broadCopyBeforeInstall,
  volatileArgEarly,
  runDownloadCache,
  // Image size
  consecutiveRun,
  copyArchiveThenExtract,
  // Build context
  contextNotIgnored,
  copyIgnoredFile,
  inlineIgnorePragma,
  bindMountBuildInput,
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}
