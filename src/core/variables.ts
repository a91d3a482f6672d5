/**
 * Build-time variables as Docker scopes and expands them: ARG (global before the first FROM, re-declared
 * per stage), ENV (wins over ARG of the same name), predefined proxy ARGs and BuildKit's platform ARGs.
 */

export type VarKind = 'arg' | 'env' | 'predefined';

export interface VarBinding {
  name: string;
  kind: VarKind;
  /** The value, or undefined when it is not known at analysis time (ARG without default, no build-arg given). */
  value: string | undefined;
  /** Index of the step that declared it (model.steps), -1 for predefined. */
  step: number;
}

/** An immutable-by-convention scope: copied on write, so steps share maps until an ARG/ENV changes them. */
export type VarScope = ReadonlyMap<string, VarBinding>;

/** Proxy ARGs: usable in RUN without declaring them, and excluded from the cache key and history. */
export const PROXY_ARGS = [
  'HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'FTP_PROXY', 'ftp_proxy',
  'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy',
];

/** BuildKit's automatic platform ARGs: in the global scope, and in a stage only after `ARG NAME`. */
export const PLATFORM_ARGS = [
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT', 'TARGETSTAGE',
];

export const PREDEFINED_ARGS = [...PROXY_ARGS, ...PLATFORM_ARGS];

export interface ExpandResult {
  value: string;
  /** Names referenced whose value is unknown (declared without value, or not declared at all). */
  unresolved: string[];
  /** Names referenced that were not declared at all in scope. */
  undeclared: string[];
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-word}`, `${VAR-word}`, `${VAR:+word}`, `${VAR+word}`, `${VAR:?msg}` like
 * Docker's shell lexer does for ADD, COPY, ENV, EXPOSE, FROM, LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR.
 * Unknown values expand to the empty string and are reported in `unresolved`. The escape character before `$`
 * keeps it literal; single quotes keep their content literal. With `removeQuotes` the quote characters are dropped
 * from the result, as Docker does for ENV, ARG and LABEL values.
 */
export function expand(text: string, scope: VarScope, escapeChar = '\\', removeQuotes = false): ExpandResult {
  const unresolved: string[] = [];
  const undeclared: string[] = [];
  let out = '';
  let i = 0;
  let inSingle = false;
  let inDouble = false;
  const n = text.length;
  const lookup = (name: string): { set: boolean; value: string } => {
    const b = scope.get(name);
    if (!b) {
      undeclared.push(name);
      unresolved.push(name);
      return { set: false, value: '' };
    }
    if (b.value === undefined) {
      unresolved.push(name);
      return { set: false, value: '' };
    }
    return { set: true, value: b.value };
  };
  while (i < n) {
    const c = text[i];
    if (c === escapeChar && i + 1 < n && !inSingle) {
      out += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "'" && !inDouble) {
      inSingle = !inSingle;
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c === '"' && !inSingle) {
      inDouble = !inDouble;
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c !== '$' || inSingle || i + 1 >= n) {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '{') {
      // find matching close brace (nesting allowed in the word part)
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        if (depth > 0) j++;
      }
      if (j >= n) {
        out += text.slice(i);
        break;
      }
      const inner = text.slice(i + 2, j);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])([\s\S]*))?$/.exec(inner);
      if (!m) {
        out += text.slice(i, j + 1);
      } else {
        const [, name, op, word = ''] = m;
        const b = scope.get(name);
        const known = b !== undefined && b.value !== undefined;
        const val = known ? (b!.value as string) : '';
        // With a colon, an empty value counts as unset.
        const isSet = known && (!op?.startsWith(':') || val !== '');
        const kind = op ? op[op.length - 1] : undefined;
        const sub = (w: string): string => {
          const r = expand(w, scope, escapeChar);
          unresolved.push(...r.unresolved);
          undeclared.push(...r.undeclared);
          return r.value;
        };
        if (kind === '-') {
          // Unknown value: Docker uses the word unless a build-arg is passed, so the word is the best answer.
          out += isSet ? val : sub(word);
        } else if (kind === '+') {
          if (!known) unresolved.push(name);
          out += isSet ? sub(word) : '';
        } else {
          // plain ${VAR} and ${VAR:?message}
          out += lookup(name).value;
        }
      }
      i = j + 1;
      continue;
    }
    if (NAME_START.test(next)) {
      let j = i + 1;
      while (j < n && NAME_CHAR.test(text[j])) j++;
      out += lookup(text.slice(i + 1, j)).value;
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return { value: out, unresolved: dedupe(unresolved), undeclared: dedupe(undeclared) };
}

function dedupe(a: string[]): string[] {
  return a.length < 2 ? a : [...new Set(a)];
}

/** Removes one level of matching surrounding quotes, as Docker does for ENV/ARG/LABEL values. */
export function unquote(value: string): string {
  if (value.length >= 2) {
    const f = value[0];
    if ((f === '"' || f === "'") && value[value.length - 1] === f) return value.slice(1, -1);
  }
  return value;
}

export function withBinding(scope: VarScope, binding: VarBinding): VarScope {
  const m = new Map(scope);
  m.set(binding.name, binding);
  return m;
}
