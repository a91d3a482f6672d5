import type { Rule } from '../rule';
import type { Aliases, Finding } from '../types';
import type { Step } from '../model';
import { t } from '../l10n';
import { keyValueArgs } from './words';
import { Needles } from './util';

/** hadolint DL3064: known variable names (compared upper-cased)… */
const HADOLINT_NAMES = new Set([
  'ACCESS_TOKEN', 'APPLICATION_KEY', 'APP_SECRET', 'AUTH_TOKEN', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'BITTREX_API_KEY', 'BITTREX_API_SECRET', 'CF_PASSWORD', 'CF_USERNAME', 'CIRCLE_TOKEN', 'CI_DEPLOY_PASSWORD',
  'CI_DEPLOY_USER', 'DOCKERHUB_PASSWORD', 'DOCKER_EMAIL', 'DOCKER_PASSWORD', 'DOCKER_USERNAME', 'FACEBOOK_ACCESS_TOKEN',
  'FACEBOOK_APP_ID', 'FACEBOOK_APP_SECRET', 'FIREBASE_API_TOKEN', 'FIREBASE_TOKEN', 'FOSSA_API_KEY',
  'GH_ENTERPRISE_TOKEN', 'GH_TOKEN', 'GITHUB_ENTERPRISE_TOKEN', 'GITHUB_TOKEN', 'HEROKU_API_KEY', 'HEROKU_API_USER',
  'NPM_AUTH_TOKEN', 'NPM_TOKEN', 'OKTA_AUTHN_GROUPID', 'OKTA_CLIENT_ORGURL', 'OKTA_CLIENT_TOKEN', 'OKTA_OAUTH2_CLIENTID',
  'OKTA_OAUTH2_CLIENTSECRET', 'OPENAI_API_KEY', 'OS_PASSWORD', 'OS_USERNAME', 'POSTGRES_PASSWORD', 'SLACK_TOKEN',
  'STRIPE_API_KEY', 'STRIPE_DEVICE_NAME', 'TRAVIS_OS_NAME', 'TRAVIS_SECURE_ENV_VARS', 'TRAVIS_SUDO', 'VAULT_CLIENT_KEY',
  'VAULT_TOKEN',
]);
/** …and substrings of the lower-cased name. */
const HADOLINT_SUBSTRINGS = new Needles(['api_key', 'client_key', 'password', 'private', 'secret', 'token', 'username']);

/** BuildKit SecretsUsedInArgOrEnv: a secret word as a whole `_`-separated word, unless an allowed word is there too. */
const BUILDKIT_DENY = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const BUILDKIT_ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;

/** Trivy DS-0031's default names (also behind the VITE_ and REACT_APP_ prefixes), in the last stage only. */
const TRIVY_NAMES = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'GITHUB_TOKEN', 'OPENAI_API_KEY', 'HF_TOKEN']);

/** Names that match the patterns but hold no secret: paths to secret files, public keys and fingerprints. */
const NOT_SECRET_WORDS = /(?:_|^)(?:public|pub|file|path|dir|version|gpg|pgp|gpgkey|keyring|keyserver|fingerprint)(?:_|$)/i;

export function hadolintSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return HADOLINT_NAMES.has(name.toUpperCase()) || HADOLINT_SUBSTRINGS.foundIn(lower);
}

export function buildkitSecretName(name: string): boolean {
  return BUILDKIT_DENY.test(name) && !BUILDKIT_ALLOW.test(name);
}

export function trivySecretName(name: string): boolean {
  const bare = name.replace(/^(VITE_|REACT_APP_)/, '');
  return TRIVY_NAMES.has(name) || TRIVY_NAMES.has(bare);
}

/** Whether we report the name: any tool's pattern, minus names that say they hold no secret. */
export function looksLikeSecretName(name: string): boolean {
  if (NOT_SECRET_WORDS.test(name) && !trivySecretName(name) && !HADOLINT_NAMES.has(name.toUpperCase())) return false;
  return hadolintSecretName(name) || buildkitSecretName(name) || trivySecretName(name);
}

interface TokenShape {
  re: RegExp;
  label: () => string;
}

/** Credential formats with a recognisable shape. Each pattern is anchored on the token's own prefix or structure. */
const TOKEN_SHAPES: TokenShape[] = [
  { re: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/, label: () => t('an AWS access key ID') },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, label: () => t('a GitHub token') },
  { re: /\bgithub_pat_[A-Za-z0-9_]{40,}\b/, label: () => t('a GitHub fine-grained token') },
  { re: /\bglpat-[A-Za-z0-9_-]{20,}\b/, label: () => t('a GitLab token') },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, label: () => t('a Slack token') },
  { re: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]+\/B[A-Za-z0-9_]+\/[A-Za-z0-9_]+/, label: () => t('a Slack webhook URL') },
  { re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY(?: BLOCK)?-----/, label: () => t('a private key') },
  { re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, label: () => t('a JSON Web Token') },
  { re: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/, label: () => t('a Stripe live key') },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/, label: () => t('a Google API key') },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/, label: () => t('an npm token') },
  { re: /\bhf_[A-Za-z0-9]{34,}\b/, label: () => t('a Hugging Face token') },
  { re: /\bsk-(?:proj-|ant-)?[A-Za-z0-9_-]{32,}\b/, label: () => t('an OpenAI or Anthropic API key') },
  { re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@$]+:[^\s/@$]{3,}@[^\s/]+/i, label: () => t('a URL with a password in it') },
];

/** The kind of credential a value looks like, and where in the value it starts. */
/** A literal every TOKEN_SHAPES pattern needs (one test instead of fourteen for the usual value). */
const TOKEN_HINT = /AKIA|ASIA|ABIA|ACCA|gh[pousr]_|github_pat_|glpat-|xox|-----BEGIN|eyJ|k_live_|AIza|npm_|hf_|sk-|:\/\//;

export function tokenShape(value: string): { label: string; index: number; match: string } | undefined {
  if (!TOKEN_HINT.test(value)) return undefined;
  for (const s of TOKEN_SHAPES) {
    const m = s.re.exec(value);
    if (m) return { label: s.label(), index: m.index, match: m[0] };
  }
  return undefined;
}

/** A short, non-revealing preview of a secret. */
function preview(s: string): string {
  return s.length <= 8 ? s.slice(0, 2) + '…' : s.slice(0, 6) + '…';
}

export const secretInArgOrEnv: Rule = {
  id: 'secret-in-arg-or-env',
  category: 'security',
  severity: 'warning',
  aliases: { hadolint: ['DL3064'], buildkit: ['SecretsUsedInArgOrEnv'], trivy: ['DS-0031'] },
  title: 'ARG / ENV with a secret-looking name or a credential-shaped value: both end up in the image or its history',
  fixable: false,
  check({ model }) {
    const out: Finding[] = [];
    const last = model.stages.length ? model.stages[model.stages.length - 1].index : -1;
    const steps: Step[] = model.steps.filter((s) => s.keyword === 'ARG' || s.keyword === 'ENV');
    for (const step of steps) {
      for (const p of keyValueArgs(model, step).pairs) {
        const aliases: Aliases = {};
        if (hadolintSecretName(p.key)) aliases.hadolint = 'DL3064';
        if (step.stage >= 0 && buildkitSecretName(p.key)) aliases.buildkit = 'SecretsUsedInArgOrEnv';
        if (step.stage === last && step.stage >= 0 && trivySecretName(p.key)) aliases.trivy = 'DS-0031';
        const shape = p.hasValue ? tokenShape(p.rawValue) : undefined;
        if (shape) {
          out.push({
            ruleId: 'secret-in-arg-or-env',
            message: step.keyword === 'ARG'
              ? t('The default of ARG {0} looks like {1} ({2}): it is written into the Dockerfile and the image history for anyone who can read either. Revoke it, and pass secrets with RUN --mount=type=secret instead.', p.key, shape.label, preview(shape.match))
              : t('The value of ENV {0} looks like {1} ({2}): it is stored in the image configuration for anyone who can pull the image (docker inspect shows it). Revoke it, and pass secrets at run time or with RUN --mount=type=secret.', p.key, shape.label, preview(shape.match)),
            range: p.valueRange ?? p.keyRange,
            aliases,
            severity: 'error',
          });
          continue;
        }
        if (!looksLikeSecretName(p.key)) continue;
        out.push({
          ruleId: 'secret-in-arg-or-env',
          message: step.keyword === 'ARG'
            ? t('ARG {0} looks like a secret: build arguments are recorded in the image history and build provenance, so the value passed with --build-arg can be read back. Use RUN --mount=type=secret,id={1} for the steps that need it.', p.key, p.key.toLowerCase())
            : t('ENV {0} looks like a secret: environment variables are stored in the image configuration, so anyone who can pull the image can read it (docker inspect). Pass it at run time (docker run -e, a secrets manager), or with RUN --mount=type=secret for build steps.', p.key),
          range: p.keyRange,
          aliases,
        });
      }
    }
    return out;
  },
};
