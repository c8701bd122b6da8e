/**
 * Reads infra/template.yaml with its CloudFormation tags (!Ref, !Sub, !If …) into the JSON form
 * of intrinsic functions, and resolves a template for given parameters — enough to check
 * statically what a deployment would create (test/infra). It refuses what CloudFormation would
 * refuse rather than papering over it: a parameter value outside AllowedValues/AllowedPattern,
 * a failed rule assertion, an unknown name in Ref, Fn::Sub or Fn::GetAtt, an attribute the
 * resource type does not have, and a reference to a resource whose condition is false. The
 * AWS::LanguageExtensions transform's Fn::ForEach is expanded first, as CloudFormation does.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type ScalarTag, type CollectionTag } from 'yaml';

export const TEMPLATE_PATH = join(dirname(fileURLToPath(import.meta.url)), 'template.yaml');

const FUNCTIONS = [
  'Sub',
  'If',
  'Equals',
  'And',
  'Or',
  'Not',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'Base64',
  'ImportValue',
  'GetAZs',
  'Cidr',
  'Contains',
  'EachMemberEquals',
  'EachMemberIn',
];

function tags(): (ScalarTag | CollectionTag)[] {
  const out: (ScalarTag | CollectionTag)[] = [];
  const add = (name: string, key: string, split?: (s: string) => unknown) => {
    out.push({ tag: `!${name}`, resolve: (v: string) => ({ [key]: split ? split(v) : v }) });
    for (const collection of ['seq', 'map'] as const) {
      out.push({
        tag: `!${name}`,
        collection,
        resolve: (v: { toJSON(): unknown }) => ({ [key]: v.toJSON() }),
      });
    }
  };
  add('Ref', 'Ref');
  add('Condition', 'Condition');
  add('GetAtt', 'Fn::GetAtt', (s) => {
    const dot = s.indexOf('.');
    return [s.slice(0, dot), s.slice(dot + 1)];
  });
  for (const f of FUNCTIONS) add(f, `Fn::${f}`);
  return out;
}

export interface Parameter {
  Type: string;
  Default?: string | number;
  AllowedValues?: string[];
  AllowedPattern?: string;
  MinValue?: number;
  MaxValue?: number;
}

export type Template = {
  Transform?: string | string[];
  Parameters: Record<string, Parameter>;
  Conditions: Record<string, unknown>;
  Rules?: Record<
    string,
    { RuleCondition?: unknown; Assertions: { Assert: unknown; AssertDescription?: string }[] }
  >;
  Resources: Record<
    string,
    {
      Type: string;
      Condition?: string;
      DeletionPolicy?: string;
      UpdateReplacePolicy?: string;
      Properties: Record<string, unknown>;
    }
  >;
  Outputs: Record<string, { Value: unknown; Condition?: string }>;
};

export function parseTemplate(text: string): Template {
  return parse(text, { customTags: tags() }) as Template;
}

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parseTemplate(readFileSync(path, 'utf8'));
}

export const NO_VALUE = Symbol('AWS::NoValue');

/** What Fn::GetAtt may ask of each resource type the template uses (CloudFormation's reference). */
export const ATTRIBUTES: Record<string, string[]> = {
  'AWS::Cognito::UserPool': ['Arn', 'ProviderName', 'ProviderURL', 'UserPoolId'],
  'AWS::Cognito::UserPoolClient': ['ClientId', 'ClientSecret', 'Name'],
  'AWS::Cognito::UserPoolGroup': [],
  'AWS::Cognito::IdentityPool': ['Id', 'Name'],
  'AWS::Cognito::IdentityPoolRoleAttachment': ['Id'],
  'AWS::IAM::Role': ['Arn', 'RoleId'],
  'AWS::S3::Bucket': [
    'Arn',
    'DomainName',
    'DualStackDomainName',
    'RegionalDomainName',
    'WebsiteURL',
  ],
  'AWS::S3::BucketPolicy': [],
};

/** The parameter values of a deployment, checked as CloudFormation checks them. */
function parameterValues(
  t: Template,
  given: Record<string, string>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name of Object.keys(given))
    if (!(name in t.Parameters)) throw new Error(`parameter ${name} is not in the template`);
  for (const [name, p] of Object.entries(t.Parameters)) {
    const raw = given[name] ?? (p.Default === undefined ? undefined : String(p.Default));
    if (raw === undefined) throw new Error(`parameter ${name} has no value`);
    const list = p.Type === 'CommaDelimitedList';
    const values = list ? raw.split(',').map((v) => v.trim()) : [raw];
    for (const v of values) {
      if (p.AllowedValues && !p.AllowedValues.map(String).includes(v))
        throw new Error(
          `parameter ${name}: ${JSON.stringify(v)} is not one of ${p.AllowedValues.join(', ')}`,
        );
      if (p.AllowedPattern && !new RegExp(p.AllowedPattern).test(v))
        throw new Error(
          `parameter ${name}: ${JSON.stringify(v)} does not match ${p.AllowedPattern}`,
        );
      if (p.Type === 'Number') {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new Error(`parameter ${name}: ${v} is not a number`);
        if (
          (p.MinValue !== undefined && n < p.MinValue) ||
          (p.MaxValue !== undefined && n > p.MaxValue)
        )
          throw new Error(`parameter ${name}: ${v} is outside ${p.MinValue}..${p.MaxValue}`);
      }
    }
    out[name] = list ? values : raw;
  }
  return out;
}

/** Fn::ForEach (AWS::LanguageExtensions): each loop replaced by one copy of its fragment per item. */
function expandForEach(node: unknown, lookup: (name: string) => unknown): unknown {
  if (Array.isArray(node)) return node.map((n) => expandForEach(n, lookup));
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (!key.startsWith('Fn::ForEach::')) {
      out[key] = expandForEach(value, lookup);
      continue;
    }
    const [identifier, collection, fragment] = value as [string, unknown, Record<string, unknown>];
    const items =
      collection && typeof collection === 'object' && 'Ref' in collection
        ? lookup((collection as { Ref: string }).Ref)
        : collection;
    if (!Array.isArray(items)) throw new Error(`${key}: the collection is not a list`);
    for (const item of items as string[]) {
      const copy = substituteIdentifier(fragment, identifier, item) as Record<string, unknown>;
      for (const [k, v] of Object.entries(expandForEach(copy, lookup) as Record<string, unknown>)) {
        if (k in out) throw new Error(`${key}: ${k} is generated twice`);
        out[k] = v;
      }
    }
  }
  return out;
}

function substituteIdentifier(node: unknown, identifier: string, item: string): unknown {
  const text = (s: string) =>
    s
      .replaceAll(`\${${identifier}}`, item)
      .replaceAll(`&{${identifier}}`, item.replace(/[^A-Za-z0-9]/g, ''));
  if (typeof node === 'string') return text(node);
  if (Array.isArray(node)) return node.map((n) => substituteIdentifier(n, identifier, item));
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>);
  if (entries.length === 1 && entries[0]![0] === 'Ref' && entries[0]![1] === identifier)
    return item;
  return Object.fromEntries(
    entries.map(([k, v]) => [text(k), substituteIdentifier(v, identifier, item)]),
  );
}

/**
 * Resolves intrinsic functions for given parameters; resources' attributes become "<Res.Attr>"
 * and their Refs "<Res>".
 */
export function resolveTemplate(
  template: Template,
  parameters: Record<string, string>,
  pseudo: Record<string, string> = {},
) {
  const params = parameterValues(template, parameters);
  const refs: Record<string, string | string[]> = {
    'AWS::Region': 'ap-northeast-1',
    'AWS::Partition': 'aws',
    'AWS::AccountId': '123456789012',
    'AWS::StackName': 'kura',
    'AWS::URLSuffix': 'amazonaws.com',
    ...pseudo,
    ...params,
  };
  const t = expandForEach(template, (name) => refs[name]) as Template;
  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in t.Conditions)) throw new Error(`unknown condition ${name}`);
    if (!(name in conditions)) conditions[name] = Boolean(resolve(t.Conditions[name]));
    return conditions[name]!;
  };
  /** A resource a Ref, GetAtt or Sub names: it must exist and be created. */
  const resource = (name: string, via: string) => {
    const r = t.Resources[name];
    if (!r) throw new Error(`${via} names ${name}, which is neither a parameter nor a resource`);
    if (r.Condition && !condition(r.Condition))
      throw new Error(`${via} names ${name}, whose condition ${r.Condition} is false`);
    return r;
  };
  const attribute = (name: string, attr: string, via: string) => {
    const r = resource(name, via);
    if (!(ATTRIBUTES[r.Type] ?? []).includes(attr))
      throw new Error(`${via}: ${r.Type} has no attribute ${attr}`);
    return `<${name}.${attr}>`;
  };
  const ref = (name: string): unknown => {
    if (name === 'AWS::NoValue') return NO_VALUE;
    if (name in refs) return refs[name];
    resource(name, `Ref ${name}`);
    return `<${name}>`;
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((x) => x !== NO_VALUE);
    if (!node || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      switch (key) {
        case 'Ref':
          return ref(arg as string);
        case 'Condition':
          return condition(arg as string);
        case 'Fn::GetAtt': {
          const [name, attr] = (arg as unknown[]).map(resolve) as [string, string];
          return attribute(name, attr, `Fn::GetAtt ${name}.${attr}`);
        }
        case 'Fn::Equals': {
          const [a, b] = (arg as unknown[]).map(resolve);
          return a === b;
        }
        case 'Fn::And':
          return (arg as unknown[]).every((x) => Boolean(resolve(x)));
        case 'Fn::Or':
          return (arg as unknown[]).some((x) => Boolean(resolve(x)));
        case 'Fn::Not':
          return !resolve((arg as unknown[])[0]);
        case 'Fn::Contains': {
          const [list, value] = (arg as unknown[]).map(resolve) as [unknown[], unknown];
          return list.includes(value);
        }
        case 'Fn::EachMemberEquals': {
          const [list, value] = (arg as unknown[]).map(resolve) as [unknown[], unknown];
          return list.every((x) => x === value);
        }
        case 'Fn::EachMemberIn': {
          const [list, allowed] = (arg as unknown[]).map(resolve) as [unknown[], unknown[]];
          return list.every((x) => allowed.includes(x));
        }
        case 'Fn::If': {
          const [name, yes, no] = arg as [string, unknown, unknown];
          return resolve(condition(name) ? yes : no);
        }
        case 'Fn::Join': {
          const [sep, list] = arg as [string, unknown[]];
          return (resolve(list) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [
            string,
            Record<string, unknown>,
          ];
          return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
            if (bang) return `\${${name}}`;
            const via = `Fn::Sub \${${name}}`;
            if (name in vars) return String(resolve(vars[name]));
            if (name in refs) {
              const v = refs[name];
              if (Array.isArray(v)) throw new Error(`${via} is a list, not a string`);
              return v!;
            }
            const dot = name.indexOf('.');
            if (dot > 0) return attribute(name.slice(0, dot), name.slice(dot + 1), via);
            resource(name, via);
            return `<${name}>`;
          });
        }
        default:
          if (key.startsWith('Fn::')) throw new Error(`${key} is not supported here`);
          break;
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = resolve(v);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  };

  for (const [name, rule] of Object.entries(t.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && !resolve(rule.RuleCondition)) continue;
    for (const a of rule.Assertions)
      if (!resolve(a.Assert)) throw new Error(`rule ${name}: ${a.AssertDescription ?? 'failed'}`);
  }
  const resources: Record<
    string,
    {
      Type: string;
      DeletionPolicy?: string;
      UpdateReplacePolicy?: string;
      Properties: Record<string, unknown>;
    }
  > = {};
  for (const [name, r] of Object.entries(t.Resources)) {
    if (r.Condition && !condition(r.Condition)) continue;
    resources[name] = {
      Type: r.Type,
      ...(r.DeletionPolicy ? { DeletionPolicy: r.DeletionPolicy } : {}),
      ...(r.UpdateReplacePolicy ? { UpdateReplacePolicy: r.UpdateReplacePolicy } : {}),
      Properties: resolve(r.Properties ?? {}) as Record<string, unknown>,
    };
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(t.Outputs)) {
    if (o.Condition && !condition(o.Condition)) continue;
    outputs[name] = resolve(o.Value);
  }
  return {
    resources,
    outputs,
    conditions: Object.fromEntries(Object.keys(t.Conditions).map((c) => [c, condition(c)])),
  };
}
