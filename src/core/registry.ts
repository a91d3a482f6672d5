/** Every rule, in the order they are documented. Add a rule here and give it a docs page. */
import type { Rule } from './rule';
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
];

const byId = new Map(RULES.map((r) => [r.id, r]));

export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}
