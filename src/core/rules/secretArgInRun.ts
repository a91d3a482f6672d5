import type { Rule } from '../rule';
import type { Step } from '../model';
import type { Aliases, Finding } from '../types';
import { t } from '../l10n';
import { parseRunScript, ShellWord } from '../shell';
import { runSteps } from './runScripts';
import { looksLikeSecretName, trivySecretName } from './secretInArgOrEnv';

/** Commands that store cloud credentials given on the command line (Trivy DS-0031 looks for these). */
const CREDENTIAL_SETUP: Array<{ program: string; args: string[] }> = [
  { program: 'aws', args: ['configure', 'set', 'aws_access_key_id'] },
  { program: 'aws', args: ['configure', 'set', 'aws_secret_access_key'] },
  { program: 'gcloud', args: ['auth', 'activate-service-account'] },
  { program: 'az', args: ['login'] },
];

/** A secret mount for this step (for the variable `name`: one that sets it with env=, or whose id is the name). */
function hasSecretMount(step: Step, name?: string): boolean {
  return step.mounts.some((m) => m.type === 'secret'
    && (name === undefined || m.options.env === name || (m.id ?? '').toLowerCase() === name.toLowerCase()));
}

export const secretArgInRun: Rule = {
  id: 'secret-arg-in-run',
  category: 'security',
  severity: 'warning',
  aliases: { trivy: ['DS-0031'] },
  title: 'A secret-looking build ARG is used by RUN: its value is kept in the image history; use RUN --mount=type=secret',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    const lastStage = model.stages.length - 1;
    for (const step of runSteps(model, false)) {
      const text = step.argsText;
      const secretArgs = [...step.scope.values()].filter((b) => b.kind === 'arg' && looksLikeSecretName(b.name) && text.includes(b.name));
      const mayCredential = CREDENTIAL_SETUP.some((c) => text.includes(c.args[c.args.length - 1]));
      if (!secretArgs.length && !mayCredential) continue;
      const script = parseRunScript(model, step);
      if (script.skipped) continue;
      const names = new Set(secretArgs.map((b) => b.name));
      const reported = new Set<string>();
      const words: ShellWord[] = [];
      for (const cmd of script.commands) {
        words.push(...cmd.words);
        for (const a of cmd.assignments) if (a.value) words.push(a.value);
        for (const r of cmd.redirects) if (r.target) words.push(r.target);
      }
      for (const w of words) {
        for (const p of w.params) {
          if (!names.has(p) || reported.has(p) || hasSecretMount(step, p)) continue;
          reported.add(p);
          const aliases: Aliases = trivySecretName(p) && step.stage === lastStage ? { trivy: 'DS-0031' } : {};
          out.push({
            ruleId: 'secret-arg-in-run',
            message: t('RUN uses the build argument {0}, which looks like a secret: build arguments are recorded in the image history (docker history) and in the cache. Pass it with RUN --mount=type=secret,id={1},env={0} and docker build --secret id={1} instead.', p, p.toLowerCase()),
            range: w.range,
            aliases,
          });
        }
      }
      if (mayCredential && !hasSecretMount(step)) {
        for (const cmd of script.commands) {
          const c = CREDENTIAL_SETUP.find((x) => x.program === cmd.program && x.args.every((a, i) => cmd.args[i]?.value === a));
          if (!c) continue;
          out.push({
            ruleId: 'secret-arg-in-run',
            message: t('"{0}" stores credentials in a layer of the image. Mount them for this step only with RUN --mount=type=secret instead.', [c.program, ...c.args].join(' ')),
            range: cmd.range,
            aliases: step.stage === lastStage ? { trivy: 'DS-0031' } : {},
          });
        }
      }
    }
    return out;
  },
};
