/** What each instruction does, for hovers and the CLI; and the hover text built from the model. */
import type { DockerfileModel, Step } from './model';
import { t } from './l10n';

export type Effect = 'layer' | 'metadata' | 'stage' | 'build-time' | 'trigger';

export interface InstructionInfo {
  summary: string;
  effect: Effect;
}

export const INSTRUCTIONS: Record<string, InstructionInfo> = {
  FROM: { summary: 'Starts a build stage from a base image (or `scratch`, or an earlier stage). The base image\'s layers become the bottom of this stage\'s layer stack.', effect: 'stage' },
  RUN: { summary: 'Runs a command in a container made from the layers so far and saves the files it changed as a new layer.', effect: 'layer' },
  COPY: { summary: 'Copies files from the build context (or another stage with `--from`) into the image as a new layer.', effect: 'layer' },
  ADD: { summary: 'Like COPY, but also fetches URLs and Git repositories and unpacks local tar archives. Prefer COPY for plain files.', effect: 'layer' },
  WORKDIR: { summary: 'Sets the working directory for the instructions after it and for the container; creates the directory if it is missing.', effect: 'layer' },
  ENV: { summary: 'Sets environment variables for later build steps and for containers run from the image.', effect: 'metadata' },
  ARG: { summary: 'Declares a build argument (`--build-arg`). It is visible to later steps of this stage during the build only and is not kept in the image\'s environment.', effect: 'build-time' },
  LABEL: { summary: 'Adds key-value metadata to the image (for example OCI annotations such as `org.opencontainers.image.source`).', effect: 'metadata' },
  USER: { summary: 'Sets the user (and optionally group) that later RUN steps and the container\'s process run as.', effect: 'metadata' },
  EXPOSE: { summary: 'Documents the ports the container listens on. It publishes nothing by itself: `docker run -p` does.', effect: 'metadata' },
  CMD: { summary: 'The default command (or default arguments for ENTRYPOINT) of a container. Only the last CMD of a stage counts.', effect: 'metadata' },
  ENTRYPOINT: { summary: 'The executable a container runs; CMD and `docker run` arguments are passed to it. Only the last ENTRYPOINT counts.', effect: 'metadata' },
  VOLUME: { summary: 'Marks a path as a mount point for a volume. Changes a later RUN makes under that path are discarded.', effect: 'metadata' },
  SHELL: { summary: 'Changes the shell used for the shell form of RUN, CMD and ENTRYPOINT (default `["/bin/sh", "-c"]`).', effect: 'metadata' },
  HEALTHCHECK: { summary: 'Tells the engine how to test that the container still works. Only the last HEALTHCHECK counts.', effect: 'metadata' },
  STOPSIGNAL: { summary: 'Sets the signal sent to the container\'s process to stop it.', effect: 'metadata' },
  ONBUILD: { summary: 'Registers an instruction that runs later, when another Dockerfile builds FROM this image.', effect: 'trigger' },
  MAINTAINER: { summary: 'Deprecated: sets the author field. Use `LABEL org.opencontainers.image.authors=...` instead.', effect: 'metadata' },
};

export function effectText(effect: Effect): string {
  switch (effect) {
    case 'layer': return t('Creates a filesystem layer.');
    case 'metadata': return t('Changes image metadata only: no filesystem layer.');
    case 'stage': return t('Starts a stage: no layer of its own; the base image\'s layers come first.');
    case 'build-time': return t('Build-time only: no layer, and not stored in the image configuration.');
    case 'trigger': return t('Stored in the image metadata; runs only in a build that uses this image as its base.');
  }
}

/** Markdown for the hover of one step. */
export function hoverMarkdown(model: DockerfileModel, step: Step): string {
  const info = INSTRUCTIONS[step.keyword];
  const lines: string[] = [];
  if (!info) {
    lines.push(`**${step.keyword}**`, '', t('Unknown instruction: Docker will refuse to build this file.'));
    return lines.join('\n');
  }
  lines.push(`**${step.keyword}** — ${t(info.summary)}`, '');
  let effect = effectText(info.effect);
  if (step.keyword === 'WORKDIR') effect = t('Creates a (usually empty) filesystem layer when the directory does not exist yet; otherwise metadata only.');
  lines.push(effect);
  if (step.stage >= 0) {
    const stage = model.stages[step.stage];
    const stageLabel = stage.name ? `\`${stage.name}\` (#${stage.index})` : `#${stage.index}`;
    if (step.keyword === 'FROM') {
      const baseText = stage.baseKind === 'scratch' ? t('an empty filesystem (scratch)')
        : stage.baseKind === 'stage' ? t('stage {0}', `\`${stage.base}\``)
          : `\`${stage.base || '?'}\``;
      lines.push('', t('Stage {0} builds on {1}.', stageLabel, baseText));
      if (stage.image) {
        const img = stage.image;
        lines.push('', `| | |\n|---|---|\n| ${t('registry')} | \`${img.registry}\` |\n| ${t('repository')} | \`${img.repository}\` |\n| ${t('tag')} | ${img.tag ? `\`${img.tag}\`` : t('none (means latest)')} |\n| ${t('digest')} | ${img.digest ? `\`${img.digest}\`` : t('none')} |`);
      }
      if (!model.requiredStages.includes(stage.index)) {
        lines.push('', t('The build target does not need this stage: BuildKit skips it.'));
      }
    } else {
      const src = (v: { source: string; step?: number }) => v.source === 'step' && v.step !== undefined
        ? t('set on line {0}', model.steps[v.step].range.start.line + 1)
        : v.source === 'inherited' ? t('inherited from the base stage') : t('default, unless the base image sets it');
      lines.push('', `| ${t('in effect here')} | |\n|---|---|\n| USER | \`${step.user.value}\` (${src(step.user)}) |\n| WORKDIR | \`${step.workdir.value}\` (${src(step.workdir)}) |\n| SHELL | \`${JSON.stringify(step.shell.value)}\` (${src(step.shell)}) |`);
      lines.push('', t('Stage {0}.', stageLabel));
    }
  }
  return lines.join('\n');
}
