/**
 * Walks a JSON body against the message tables the way Google's REST transcoder does: it accepts
 * lowerCamelCase and snake_case names (§1.4.7), case-insensitive enum values, numbers as strings,
 * and rejects what cannot become the proto message. The result is normalised to lowerCamelCase
 * with upper-case enum values, so later checks and the answer builder read one spelling only.
 * Keys inside Struct/Value fields are data and left untouched.
 */
import type { Violation } from './gemini-errors';
import { ENUMS, MESSAGES, type FieldSpec, type FieldType } from './proto-messages';

const TYPE_PREFIX = 'type.googleapis.com/google.ai.generativelanguage.v1beta.';
const SCALAR_TYPE_NAMES: Record<string, string> = {
  string: 'TYPE_STRING',
  bytes: 'TYPE_BYTES',
  number: 'TYPE_FLOAT',
  int: 'TYPE_INT32',
  bool: 'TYPE_BOOL',
};
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export interface ProtoParseOptions {
  rejectUnknownFields: boolean;
}

export interface ProtoParseResult {
  value: Record<string, unknown>;
  violations: Violation[];
}

export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelCase = (name: string): string => name.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const preview = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

const at = (path: string): string => (path === '' ? '' : ` at '${path}'`);
const join = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function typeName(type: FieldType): string {
  if (typeof type === 'string') {
    if (type === 'struct' || type === 'value')
      return `type.googleapis.com/google.protobuf.${type === 'struct' ? 'Struct' : 'Value'}`;
    return SCALAR_TYPE_NAMES[type] ?? type;
  }
  if ('enum' in type) return TYPE_PREFIX + type.enum;
  return TYPE_PREFIX + ('message' in type ? type.message : type.map);
}

export function parseProtoJson(
  input: unknown,
  messageName: string,
  options: ProtoParseOptions,
): ProtoParseResult {
  const violations: Violation[] = [];
  if (!isPlainObject(input)) {
    violations.push({
      description: 'Invalid JSON payload received. Unknown name "": Root element must be a message.',
    });
    return { value: {}, violations };
  }
  const value = new Walker(options, violations).message(input, messageName, '');
  return { value, violations };
}

class Walker {
  constructor(
    private readonly options: ProtoParseOptions,
    private readonly violations: Violation[],
  ) {}

  private report(path: string, description: string): void {
    this.violations.push(path === '' ? { description } : { field: path, description });
  }

  private invalidValue(path: string, type: FieldType, raw: unknown, detail?: string): void {
    this.report(path, `Invalid value at '${path}' (${typeName(type)}), ${detail ?? preview(raw)}`);
  }

  message(input: Record<string, unknown>, messageName: string, path: string): Record<string, unknown> {
    const spec = MESSAGES[messageName];
    if (spec === undefined) throw new Error(`fake-gemini: no message table for ${messageName}`);
    const out: Record<string, unknown> = {};
    const oneofsSet = new Map<string, string>();
    for (const [key, raw] of Object.entries(input)) {
      const name = camelCase(key);
      const field = spec[name];
      if (field === undefined) {
        if (this.options.rejectUnknownFields) {
          this.report(
            path,
            `Invalid JSON payload received. Unknown name "${key}"${at(path)}: Cannot find field.`,
          );
        } else {
          out[key] = raw;
        }
        continue;
      }
      if (name in out) {
        // Same field in both spellings (§1.4.7: "never do it").
        this.report(path, `Invalid JSON payload received. Duplicate field "${snakeCase(name)}"${at(path)}.`);
        continue;
      }
      if (raw === null) continue; // proto3 JSON: null means "default"
      if (field.oneof !== undefined) {
        const already = oneofsSet.get(field.oneof);
        if (already !== undefined) {
          this.report(
            path,
            `Invalid JSON payload received. Unknown name "${key}"${at(path)}: Oneof field '${field.oneof}' is already set. Cannot set '${name}'`,
          );
          continue;
        }
        oneofsSet.set(field.oneof, name);
      }
      const converted = this.field(raw, field, key, path);
      if (converted !== undefined) out[name] = converted;
    }
    return out;
  }

  private field(raw: unknown, field: FieldSpec, key: string, parentPath: string): unknown {
    const path = join(parentPath, snakeCase(camelCase(key)));
    if (Array.isArray(raw) && !field.repeated && field.type !== 'value') {
      this.report(
        parentPath,
        `Invalid JSON payload received. Unknown name "${key}"${at(parentPath)}: Proto field is not repeating, cannot start list.`,
      );
      return undefined;
    }
    if (field.repeated) {
      if (!Array.isArray(raw)) {
        this.invalidValue(path, field.type, raw);
        return undefined;
      }
      return raw.map((item, i) => this.single(item, field.type, `${path}[${i}]`));
    }
    return this.single(raw, field.type, path);
  }

  private single(raw: unknown, type: FieldType, path: string): unknown {
    if (typeof type === 'string') return this.scalar(raw, type, path);
    if ('enum' in type) return this.enumValue(raw, type, path);
    if (!isPlainObject(raw)) {
      this.invalidValue(path, type, raw);
      return undefined;
    }
    if ('message' in type) return this.message(raw, type.message, path);
    const entries = Object.entries(raw).map(([k, v], i) => {
      const entryPath = `${path}[${i}].value`;
      if (!isPlainObject(v)) {
        this.invalidValue(entryPath, { message: type.map }, v);
        return [k, undefined] as const;
      }
      return [k, this.message(v, type.map, entryPath)] as const;
    });
    return Object.fromEntries(entries);
  }

  private scalar(raw: unknown, type: Exclude<FieldType, object>, path: string): unknown {
    switch (type) {
      case 'value':
        return raw;
      case 'struct':
        if (!isPlainObject(raw)) this.invalidValue(path, type, raw);
        return raw;
      case 'string':
        if (typeof raw !== 'string') this.invalidValue(path, type, raw);
        return raw;
      case 'bytes':
        if (typeof raw !== 'string') this.invalidValue(path, type, raw);
        else if (!BASE64.test(raw) || raw.replace(/=+$/, '').length % 4 === 1)
          this.invalidValue(path, type, raw, `Base64 decoding failed for ${preview(raw)}`);
        return raw;
      case 'bool':
        if (typeof raw !== 'boolean') this.invalidValue(path, type, raw);
        return raw;
      case 'number':
      case 'int': {
        const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
        // Every integer field of these messages is an int32: proto3 JSON refuses values outside it.
        const ok =
          typeof n === 'number' &&
          Number.isFinite(n) &&
          (type === 'number' || (Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31));
        if (!ok) this.invalidValue(path, type, raw);
        return ok ? n : raw;
      }
    }
  }

  private enumValue(raw: unknown, type: { enum: string }, path: string): unknown {
    const values = ENUMS[type.enum] ?? [];
    if (typeof raw === 'number' && Number.isInteger(raw) && values[raw] !== undefined) return values[raw];
    const upper = typeof raw === 'string' ? raw.toUpperCase() : undefined;
    if (upper !== undefined && values.includes(upper)) return upper;
    this.invalidValue(path, type, raw);
    return raw;
  }
}
