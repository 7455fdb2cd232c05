import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { parse, type ScalarTag, type CollectionTag, type YAMLSeq } from 'yaml';
import { isRecord } from './repo';

// ---------------------------------------------------------------------------
// YAML with CloudFormation's short-form intrinsic functions (!Ref, !GetAtt, …)

const FUNCTIONS = [
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAZs',
  'GetAtt',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'And',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Ref',
  'Condition',
];

function longName(fn: string): string {
  return fn === 'Ref' || fn === 'Condition' ? fn : `Fn::${fn}`;
}

const TAGS: Array<ScalarTag | CollectionTag> = FUNCTIONS.flatMap((fn): Array<ScalarTag | CollectionTag> => [
  {
    tag: `!${fn}`,
    // `!GetAtt Resource.Attribute.Path` is `Fn::GetAtt: [Resource, Attribute.Path]`.
    resolve: (text: string) => ({
      [longName(fn)]: fn === 'GetAtt' ? text.split(/\.(.*)/s).slice(0, 2) : text,
    }),
  },
  {
    tag: `!${fn}`,
    collection: 'seq',
    resolve: (seq) => ({ [longName(fn)]: (seq as YAMLSeq).toJSON() as unknown }),
  },
]);

/** A template as CloudFormation reads it, short forms turned into their long forms. */
export function parseTemplate(text: string): Record<string, unknown> {
  const template: unknown = parse(text, { customTags: TAGS, uniqueKeys: true });
  if (!isRecord(template)) throw new Error('the template is not a mapping');
  return template;
}

// ---------------------------------------------------------------------------
// The CloudFormation resource specification shipped by @aws-cdk/aws-service-spec
// (built from the CloudFormation registry schemas): every resource type, its
// properties with their types and whether they are required, and its attributes.

interface SpecType {
  type: string;
  element?: SpecType;
  reference?: { $ref: string };
  types?: SpecType[];
  allowedValues?: string[];
}

interface SpecProperty {
  type: SpecType;
  required?: boolean;
  previousTypes?: SpecType[];
}

interface SpecShape {
  $id: string;
  name: string;
  properties: Record<string, SpecProperty>;
}

interface SpecResource extends SpecShape {
  cloudFormationType: string;
  attributes: Record<string, unknown>;
}

interface SpecDatabase {
  schema: {
    resource: { entities: SpecResource[] };
    typeDefinition: { entities: SpecShape[] };
  };
}

let spec: { resources: Map<string, SpecResource>; types: Map<string, SpecShape> } | undefined;

function loadSpec() {
  if (spec) return spec;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@aws-cdk/aws-service-spec/db.json.gz');
  const db = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as SpecDatabase;
  spec = {
    resources: new Map(db.schema.resource.entities.map((r) => [r.cloudFormationType, r])),
    types: new Map(db.schema.typeDefinition.entities.map((t) => [t.$id, t])),
  };
  return spec;
}

// ---------------------------------------------------------------------------
// The checks

const TOP_LEVEL = [
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
];
const PARAMETER_KEYS = [
  'Type',
  'Default',
  'Description',
  'NoEcho',
  'AllowedValues',
  'AllowedPattern',
  'MinLength',
  'MaxLength',
  'MinValue',
  'MaxValue',
  'ConstraintDescription',
];
const PARAMETER_TYPE =
  /^(String|Number|List<Number>|CommaDelimitedList|(List<)?AWS::EC2::[A-Za-z]+(::[A-Za-z]+)*(>)?|AWS::SSM::Parameter::(Name|Value<.+>))$/;
const RESOURCE_KEYS = [
  'Type',
  'Properties',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Condition',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
];
const POLICIES = ['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot'];
const PSEUDO = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

class TemplateChecker {
  readonly problems: string[] = [];
  private readonly parameters: Record<string, unknown>;
  private readonly resources: Record<string, unknown>;
  private readonly conditions: Record<string, unknown>;

  constructor(private readonly template: Record<string, unknown>) {
    this.parameters = isRecord(template['Parameters']) ? template['Parameters'] : {};
    this.resources = isRecord(template['Resources']) ? template['Resources'] : {};
    this.conditions = isRecord(template['Conditions']) ? template['Conditions'] : {};
  }

  run(): string[] {
    for (const key of Object.keys(this.template)) {
      if (!TOP_LEVEL.includes(key)) this.problems.push(`unknown top-level section ${key}`);
    }
    if (Object.keys(this.resources).length === 0) this.problems.push('no Resources');
    for (const [name, parameter] of Object.entries(this.parameters)) this.parameter(name, parameter);
    for (const [name, resource] of Object.entries(this.resources)) this.resource(name, resource);
    const outputs = isRecord(this.template['Outputs']) ? this.template['Outputs'] : {};
    for (const [name, output] of Object.entries(outputs)) {
      if (!isRecord(output) || output['Value'] === undefined) this.problems.push(`Outputs.${name}: no Value`);
      else this.intrinsics(output['Value'], `Outputs.${name}.Value`);
    }
    return this.problems;
  }

  private parameter(name: string, parameter: unknown): void {
    const where = `Parameters.${name}`;
    if (!isRecord(parameter)) return void this.problems.push(`${where}: not a mapping`);
    for (const key of Object.keys(parameter)) {
      if (!PARAMETER_KEYS.includes(key)) this.problems.push(`${where}: unknown key ${key}`);
    }
    if (!PARAMETER_TYPE.test(String(parameter['Type']))) {
      this.problems.push(`${where}: unknown Type ${String(parameter['Type'])}`);
    }
    const value = parameter['Default'];
    if (value === undefined) return;
    const text = String(value);
    if (
      typeof parameter['AllowedPattern'] === 'string' &&
      !new RegExp(parameter['AllowedPattern']).test(text)
    ) {
      this.problems.push(`${where}: Default does not match AllowedPattern`);
    }
    if (Array.isArray(parameter['AllowedValues']) && !parameter['AllowedValues'].map(String).includes(text)) {
      this.problems.push(`${where}: Default is not among AllowedValues`);
    }
    if (parameter['Type'] === 'Number') {
      const n = Number(value);
      if (Number.isNaN(n)) this.problems.push(`${where}: Default is not a number`);
      if (typeof parameter['MinValue'] === 'number' && n < parameter['MinValue']) {
        this.problems.push(`${where}: Default below MinValue`);
      }
      if (typeof parameter['MaxValue'] === 'number' && n > parameter['MaxValue']) {
        this.problems.push(`${where}: Default above MaxValue`);
      }
    }
  }

  private resource(name: string, resource: unknown): void {
    const where = `Resources.${name}`;
    if (!isRecord(resource)) return void this.problems.push(`${where}: not a mapping`);
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.includes(key)) this.problems.push(`${where}: unknown key ${key}`);
    }
    for (const key of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      if (resource[key] !== undefined && !POLICIES.includes(String(resource[key]))) {
        this.problems.push(`${where}.${key}: ${String(resource[key])} is not one of ${POLICIES.join(', ')}`);
      }
    }
    const dependsOn = resource['DependsOn'];
    for (const target of Array.isArray(dependsOn) ? dependsOn : dependsOn === undefined ? [] : [dependsOn]) {
      if (!(String(target) in this.resources))
        this.problems.push(`${where}.DependsOn: no resource ${String(target)}`);
    }
    const type = String(resource['Type']);
    const definition = loadSpec().resources.get(type);
    if (!definition) return void this.problems.push(`${where}: unknown resource type ${type}`);
    const properties = resource['Properties'] ?? {};
    this.shape(definition, properties, `${where}.Properties`);
  }

  /** A resource's Properties or a property of a named property type. */
  private shape(definition: SpecShape, value: unknown, where: string): void {
    if (this.isIntrinsic(value)) return this.intrinsics(value, where);
    if (!isRecord(value)) return void this.problems.push(`${where}: expected a mapping`);
    for (const [name, property] of Object.entries(definition.properties)) {
      if (property.required && value[name] === undefined) this.problems.push(`${where}: ${name} is required`);
    }
    for (const [name, item] of Object.entries(value)) {
      const property = definition.properties[name];
      if (!property) {
        this.problems.push(`${where}: ${definition.name} has no property ${name}`);
        continue;
      }
      const types = [property.type, ...(property.previousTypes ?? [])];
      const verdicts = types.map((t) => this.typeProblems(t, item, `${where}.${name}`));
      if (verdicts.every((v) => v.length > 0)) this.problems.push(...(verdicts[0] ?? []));
    }
  }

  /** Problems of `value` against a spec type, without recording them (unions try each branch). */
  private typeProblems(type: SpecType, value: unknown, where: string): string[] {
    const saved = this.problems.length;
    this.check(type, value, where);
    return this.problems.splice(saved);
  }

  private check(type: SpecType, value: unknown, where: string): void {
    if (this.isIntrinsic(value)) return this.intrinsicFor(type, value, where);
    const fail = (what: string) =>
      this.problems.push(`${where}: expected ${what}, got ${JSON.stringify(value)}`);
    switch (type.type) {
      case 'string':
      case 'date-time':
        if (!['string', 'number', 'boolean'].includes(typeof value)) return void fail('a string');
        if (type.allowedValues && !type.allowedValues.includes(String(value))) {
          return void fail(`one of ${type.allowedValues.join(', ')}`);
        }
        return;
      case 'integer':
      case 'number':
        if (!(
          typeof value === 'number' ||
          (typeof value === 'string' && value.trim() !== '' && !isNaN(+value))
        )) {
          fail(`a ${type.type}`);
        } else if (type.type === 'integer' && !Number.isInteger(Number(value))) fail('an integer');
        return;
      case 'boolean':
        if (!(typeof value === 'boolean' || value === 'true' || value === 'false')) fail('a boolean');
        return;
      case 'json':
        return;
      case 'tag':
        if (!isRecord(value) || Object.keys(value).sort().join() !== 'Key,Value') fail('a tag {Key, Value}');
        return;
      case 'array':
        if (!Array.isArray(value)) return void fail('a list');
        value.forEach((item, i) => type.element && this.check(type.element, item, `${where}[${i}]`));
        return;
      case 'map':
        if (!isRecord(value)) return void fail('a mapping');
        for (const [key, item] of Object.entries(value)) {
          if (type.element) this.check(type.element, item, `${where}.${key}`);
        }
        return;
      case 'ref': {
        const shape = type.reference && loadSpec().types.get(type.reference.$ref);
        if (shape) this.shape(shape, value, where);
        return;
      }
      case 'union': {
        const verdicts = (type.types ?? []).map((t) => this.typeProblems(t, value, where));
        if (verdicts.length > 0 && verdicts.every((v) => v.length > 0))
          this.problems.push(...(verdicts[0] ?? []));
        return;
      }
      default:
        this.problems.push(`${where}: the specification has a type ${type.type} this checker does not know`);
    }
  }

  private isIntrinsic(value: unknown): value is Record<string, unknown> {
    if (!isRecord(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || (keys[0] ?? '').startsWith('Fn::'));
  }

  /** An intrinsic where `type` is expected: a Ref to a list parameter fits only a list, and the reverse. */
  private intrinsicFor(type: SpecType, value: Record<string, unknown>, where: string): void {
    this.intrinsics(value, where);
    const ref = value['Ref'];
    if (typeof ref !== 'string' || !isRecord(this.parameters[ref])) return;
    const list = /^(List<|CommaDelimitedList)/.test(String(this.parameters[ref]['Type']));
    if (list !== (type.type === 'array')) {
      this.problems.push(
        `${where}: Ref ${ref} is ${list ? 'a list' : 'not a list'}, the property ${list ? 'is not' : 'is'}`,
      );
    }
  }

  /** Every Ref, GetAtt, Sub and If inside `value` must name something that exists. */
  private intrinsics(value: unknown, where: string): void {
    if (Array.isArray(value)) return value.forEach((item) => this.intrinsics(item, where));
    if (!isRecord(value)) return;
    for (const [key, argument] of Object.entries(value)) {
      if (key === 'Ref') this.ref(String(argument), where);
      else if (key === 'Fn::GetAtt') {
        const [resource, attribute] = Array.isArray(argument) ? argument.map(String) : [];
        this.getAtt(resource ?? '', attribute ?? '', where);
      } else if (key === 'Fn::Sub') {
        const [text, variables] = Array.isArray(argument) ? argument : [argument, {}];
        const locals = isRecord(variables) ? variables : {};
        for (const match of String(text).matchAll(/\$\{(?!!)([^}]+)\}/g)) {
          const [name = '', attribute] = (match[1] ?? '').split(/\.(.*)/s);
          if (name in locals) continue;
          if (attribute) this.getAtt(name, attribute, where);
          else this.ref(name, where);
        }
        this.intrinsics(locals, where);
      } else if (key === 'Fn::If') {
        const [condition, ...branches] = Array.isArray(argument) ? argument : [];
        if (!(String(condition) in this.conditions))
          this.problems.push(`${where}: no condition ${String(condition)}`);
        this.intrinsics(branches, where);
      } else if (key.startsWith('Fn::')) {
        if (!FUNCTIONS.includes(key.slice(4))) this.problems.push(`${where}: unknown function ${key}`);
        this.intrinsics(argument, where);
      } else this.intrinsics(argument, where);
    }
  }

  private ref(name: string, where: string): void {
    if (!(name in this.parameters) && !(name in this.resources) && !PSEUDO.includes(name)) {
      this.problems.push(`${where}: Ref ${name} names no parameter, resource or pseudo parameter`);
    }
  }

  private getAtt(resource: string, attribute: string, where: string): void {
    const target = this.resources[resource];
    if (!isRecord(target)) return void this.problems.push(`${where}: GetAtt ${resource}: no such resource`);
    const definition = loadSpec().resources.get(String(target['Type']));
    if (definition && !(attribute in definition.attributes)) {
      this.problems.push(`${where}: ${String(target['Type'])} has no attribute ${attribute}`);
    }
  }
}

/**
 * Problems of a CloudFormation template against the CloudFormation resource
 * specification: sections, parameter types and defaults, resource types,
 * unknown and missing required properties, property types (nested property
 * types and enums included), deletion policies, and every Ref, GetAtt, Sub and
 * DependsOn naming something that exists.
 */
export function templateProblems(text: string): string[] {
  let template: Record<string, unknown>;
  try {
    template = parseTemplate(text);
  } catch (error) {
    return [`YAML: ${(error as Error).message}`];
  }
  return new TemplateChecker(template).run();
}
