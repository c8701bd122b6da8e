/**
 * IAM policy evaluation for the identity-based policies local-aws enforces: an explicit
 * Deny wins; otherwise an Allow must match action, resource and every condition.
 * Supports wildcards, policy variables (`${cognito-identity.amazonaws.com:sub}`, `${*}`),
 * NotAction/NotResource, the String/Bool/Null/Numeric/Arn operators, IfExists and the
 * ForAnyValue:/ForAllValues: set qualifiers.
 */
export type Scalar = string | number | boolean;

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, Scalar | Scalar[]>>;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement | Statement[];
}

export interface RequestContext {
  action: string;
  resource: string;
  /** Condition keys and policy variables; a missing key is `undefined`. */
  keys: Record<string, string | string[] | undefined>;
}

export type Decision = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/**
 * Turns a policy pattern into a RegExp: `*` and `?` are wildcards (when `wildcards`), and
 * `${var}` is substituted literally. Returns null when a variable has no value (the
 * statement then does not match, as in AWS).
 */
function patternToRegExp(
  pattern: string,
  keys: RequestContext['keys'],
  wildcards: boolean,
  ignoreCase: boolean,
): RegExp | null {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '$' && pattern[i + 1] === '{') {
      const end = pattern.indexOf('}', i + 2);
      if (end !== -1) {
        const name = pattern.slice(i + 2, end);
        let value: string | undefined;
        if (name === '*' || name === '?' || name === '$') value = name;
        else {
          const v = keys[name];
          value = Array.isArray(v) ? undefined : v;
        }
        if (value === undefined) return null;
        out += escapeRegExp(value);
        i = end;
        continue;
      }
    }
    if (wildcards && ch === '*') out += '.*';
    else if (wildcards && ch === '?') out += '.';
    else out += escapeRegExp(ch);
  }
  return new RegExp(`^${out}$`, ignoreCase ? 'is' : 's');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function matchesAny(
  patterns: string[],
  value: string,
  keys: RequestContext['keys'],
  ignoreCase: boolean,
) {
  return patterns.some((p) => patternToRegExp(p, keys, true, ignoreCase)?.test(value) ?? false);
}

type Matcher = (requestValue: string, policyValue: string) => boolean;

function baseOperator(
  op: string,
  keys: RequestContext['keys'],
): { match: Matcher; negated: boolean } | null {
  const like: Matcher = (r, p) => patternToRegExp(p, keys, true, false)?.test(r) ?? false;
  const equals: Matcher = (r, p) => patternToRegExp(p, keys, false, false)?.test(r) ?? false;
  const equalsIgnoreCase: Matcher = (r, p) =>
    patternToRegExp(p, keys, false, true)?.test(r) ?? false;
  const num =
    (f: (a: number, b: number) => boolean): Matcher =>
    (r, p) =>
      f(Number(r), Number(p));
  switch (op) {
    case 'StringEquals':
    case 'ArnEquals':
      return { match: equals, negated: false };
    case 'StringNotEquals':
    case 'ArnNotEquals':
      return { match: equals, negated: true };
    case 'StringEqualsIgnoreCase':
      return { match: equalsIgnoreCase, negated: false };
    case 'StringNotEqualsIgnoreCase':
      return { match: equalsIgnoreCase, negated: true };
    case 'StringLike':
    case 'ArnLike':
      return { match: like, negated: false };
    case 'StringNotLike':
    case 'ArnNotLike':
      return { match: like, negated: true };
    case 'Bool':
      return { match: (r, p) => r.toLowerCase() === p.toLowerCase(), negated: false };
    case 'NumericEquals':
      return { match: num((a, b) => a === b), negated: false };
    case 'NumericNotEquals':
      return { match: num((a, b) => a === b), negated: true };
    case 'NumericLessThan':
      return { match: num((a, b) => a < b), negated: false };
    case 'NumericLessThanEquals':
      return { match: num((a, b) => a <= b), negated: false };
    case 'NumericGreaterThan':
      return { match: num((a, b) => a > b), negated: false };
    case 'NumericGreaterThanEquals':
      return { match: num((a, b) => a >= b), negated: false };
    default:
      return null;
  }
}

function conditionHolds(
  rawOp: string,
  key: string,
  policyValues: string[],
  keys: RequestContext['keys'],
): boolean {
  const raw = keys[key];
  if (rawOp === 'Null') {
    const absent = raw === undefined || (Array.isArray(raw) && raw.length === 0);
    return policyValues.some((v) => (v.toLowerCase() === 'true') === absent);
  }
  let op = rawOp;
  let set: 'any' | 'all' | null = null;
  if (op.startsWith('ForAnyValue:')) [set, op] = ['any', op.slice('ForAnyValue:'.length)];
  else if (op.startsWith('ForAllValues:')) [set, op] = ['all', op.slice('ForAllValues:'.length)];
  const ifExists = op.endsWith('IfExists');
  if (ifExists) op = op.slice(0, -'IfExists'.length);
  const base = baseOperator(op, keys);
  if (!base) return false; // unknown operator: never grants, never denies by accident
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const one = (v: string) => policyValues.some((p) => base.match(v, p));

  if (set === 'any') {
    if (values.length === 0) return false;
    return base.negated ? values.some((v) => !one(v)) : values.some(one);
  }
  if (set === 'all') {
    if (values.length === 0) return true;
    return base.negated ? values.every((v) => !one(v)) : values.every(one);
  }
  if (values.length === 0) return ifExists || base.negated;
  return base.negated ? !values.some(one) : values.some(one);
}

function statementApplies(s: Statement, ctx: RequestContext): boolean {
  if (s.Action !== undefined && !matchesAny(list(s.Action), ctx.action, ctx.keys, true))
    return false;
  if (s.NotAction !== undefined && matchesAny(list(s.NotAction), ctx.action, ctx.keys, true))
    return false;
  if (s.Action === undefined && s.NotAction === undefined) return false;
  if (s.Resource !== undefined && !matchesAny(list(s.Resource), ctx.resource, ctx.keys, false))
    return false;
  if (s.NotResource !== undefined && matchesAny(list(s.NotResource), ctx.resource, ctx.keys, false))
    return false;
  for (const [op, byKey] of Object.entries(s.Condition ?? {})) {
    for (const [key, v] of Object.entries(byKey)) {
      if (!conditionHolds(op, key, list(v).map(String), ctx.keys)) return false;
    }
  }
  return true;
}

export function evaluate(policies: PolicyDocument[], ctx: RequestContext): Decision {
  let allowed = false;
  for (const policy of policies) {
    for (const s of list(policy.Statement)) {
      if (!statementApplies(s, ctx)) continue;
      if (s.Effect === 'Deny') return 'ExplicitDeny';
      if (s.Effect === 'Allow') allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** Replaces `{{Name}}` template parameters (bucket, pool ids) in a policy file. */
export function instantiatePolicy(
  template: unknown,
  params: Record<string, string>,
): PolicyDocument {
  const text = JSON.stringify(template).replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`policy parameter {{${name}}} has no value`);
    return v;
  });
  return JSON.parse(text) as PolicyDocument;
}
