/**
 * Reads infra/template.yaml with its CloudFormation tags (!Ref, !Sub, !If …) into the JSON form
 * of intrinsic functions, and resolves a template for given parameters — enough to check
 * statically what a deployment would create (test/infra).
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
  add('GetAtt', 'Fn::GetAtt', (s) => s.split('.'));
  for (const f of FUNCTIONS) add(f, `Fn::${f}`);
  return out;
}

export type Template = {
  Parameters: Record<string, { Default?: string | number; AllowedValues?: string[] }>;
  Conditions: Record<string, unknown>;
  Resources: Record<
    string,
    { Type: string; Condition?: string; Properties: Record<string, unknown> }
  >;
  Outputs: Record<string, { Value: unknown }>;
};

export function loadTemplate(path = TEMPLATE_PATH): Template {
  return parse(readFileSync(path, 'utf8'), { customTags: tags() }) as Template;
}

export const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves intrinsic functions for given parameters; resources' attributes become "<Res.Attr>". */
export function resolveTemplate(
  t: Template,
  parameters: Record<string, string>,
  pseudo: Record<string, string> = {},
) {
  const params: Record<string, string> = {};
  for (const [k, p] of Object.entries(t.Parameters)) {
    const v = parameters[k] ?? (p.Default === undefined ? undefined : String(p.Default));
    if (v === undefined) throw new Error(`parameter ${k} has no value`);
    params[k] = v;
  }
  const refs: Record<string, string> = {
    'AWS::Region': 'ap-northeast-1',
    'AWS::Partition': 'aws',
    'AWS::AccountId': '123456789012',
    'AWS::StackName': 'kura',
    ...pseudo,
    ...params,
  };
  const conditions: Record<string, boolean> = {};
  const condition = (name: string): boolean => {
    if (!(name in conditions)) conditions[name] = Boolean(resolve(t.Conditions[name]));
    return conditions[name]!;
  };
  const resolve = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(resolve).filter((x) => x !== NO_VALUE);
    if (!node || typeof node !== 'object') return node;
    const entries = Object.entries(node as Record<string, unknown>);
    if (entries.length === 1) {
      const [key, arg] = entries[0]!;
      switch (key) {
        case 'Ref': {
          const name = arg as string;
          if (name === 'AWS::NoValue') return NO_VALUE;
          return refs[name] ?? `<${name}>`;
        }
        case 'Condition':
          return condition(arg as string);
        case 'Fn::GetAtt':
          return `<${(arg as string[]).join('.')}>`;
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
        case 'Fn::If': {
          const [name, yes, no] = arg as [string, unknown, unknown];
          return resolve(condition(name) ? yes : no);
        }
        case 'Fn::Sub': {
          const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [
            string,
            Record<string, unknown>,
          ];
          return text.replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, name: string) => {
            if (bang) return `\${${name}}`;
            if (name in vars) return String(resolve(vars[name]));
            if (name.includes('.')) return `<${name}>`;
            return refs[name] ?? `<${name}>`;
          });
        }
        default:
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
  const resources: Record<string, { Type: string; Properties: Record<string, unknown> }> = {};
  for (const [name, r] of Object.entries(t.Resources)) {
    if (r.Condition && !condition(r.Condition)) continue;
    resources[name] = {
      Type: r.Type,
      Properties: resolve(r.Properties) as Record<string, unknown>,
    };
  }
  const outputs: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(t.Outputs)) outputs[name] = resolve(o.Value);
  return {
    resources,
    outputs,
    conditions: Object.fromEntries(Object.keys(t.Conditions).map((c) => [c, condition(c)])),
  };
}
