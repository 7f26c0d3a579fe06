/**
 * Client JSON Schemas → what Gemini accepts (wire-format §1.4.8, §4.3, §4.4).
 *
 * - `toParametersJsonSchema`: for `parametersJsonSchema` / `responseJsonSchema`, which take real JSON
 *   Schema. Only `$schema` and OpenAI's `strict` are removed (Gemini rejects them).
 * - `toSchemaDialect`: the fallback for `parameters` / `responseSchema`, Google's OpenAPI subset.
 *
 * Both receive whatever the client sent, so they never throw: non-objects where schemas belong,
 * absurd nesting and `$ref` cycles all degrade to `{}` ("any") instead.
 */

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------------
// JSON Schema pass-through

/** Keys whose value is a map from names to subschemas: the names are data, never keywords. */
const SCHEMA_MAP_KEYS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
/** Keys whose value is one subschema or a list of them. */
const SUBSCHEMA_KEYS = new Set([
  'items',
  'prefixItems',
  'additionalItems',
  'additionalProperties',
  'unevaluatedItems',
  'unevaluatedProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'anyOf',
  'oneOf',
  'allOf',
]);
const REJECTED_JSON_SCHEMA_KEYS = new Set(['$schema', 'strict']);
/** Far beyond any real schema; deeper hostile input becomes `{}` rather than a stack overflow. */
const MAX_PASS_THROUGH_DEPTH = 64;

const passThroughSubschemas = (value: unknown, depth: number): unknown =>
  Array.isArray(value) ? value.map((v) => passThrough(v, depth)) : passThrough(value, depth);

function passThrough(node: unknown, depth: number): unknown {
  // Booleans are valid schemas; anything else that is not an object is left for Gemini to judge.
  if (!isObject(node)) return node;
  if (depth > MAX_PASS_THROUGH_DEPTH) return {};
  const entries: [string, unknown][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (REJECTED_JSON_SCHEMA_KEYS.has(key)) continue;
    if (SCHEMA_MAP_KEYS.has(key) && isObject(value)) {
      const map = Object.entries(value).map(([name, sub]) => [name, passThrough(sub, depth + 1)] as const);
      entries.push([key, Object.fromEntries(map)]);
    } else if (SUBSCHEMA_KEYS.has(key)) {
      entries.push([key, passThroughSubschemas(value, depth + 1)]);
    } else {
      entries.push([key, value]); // enum, const, default, examples, required …: data, kept as is
    }
  }
  // fromEntries defines own properties, so a property named "__proto__" stays a property.
  return Object.fromEntries(entries);
}

/** JSON Schema for `parametersJsonSchema` / `responseJsonSchema`: drops `$schema` and `strict`. */
export function toParametersJsonSchema(schema: unknown): unknown {
  return passThrough(schema, 0);
}

// ---------------------------------------------------------------------------------------------------
// OpenAPI-subset dialect

const DIALECT_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
const STRING_KEYS = ['format', 'title', 'description', 'pattern'] as const;
const NUMBER_KEYS = [
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
] as const;
const MAX_DIALECT_DEPTH = 32;
/** Caps the output size: `$ref` inlining can grow exponentially (A → 2×B → 4×C …). */
const MAX_DIALECT_NODES = 10_000;

interface DialectState {
  root: unknown;
  /** `$ref` targets being inlined right now, to cut cycles. */
  expanding: Set<unknown>;
  nodesLeft: number;
}

/** Resolves a same-document JSON pointer (`#`, `#/$defs/X`, `#/definitions/X`, …). */
function resolveLocalRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined; // remote documents and anchors are not followed
  let current = root;
  for (const raw of ref.slice(2).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return undefined;
    }
    if (isObject(current)) {
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    } else if (Array.isArray(current) && /^\d+$/.test(segment)) {
      current = current[Number(segment)];
    } else {
      return undefined;
    }
  }
  return current;
}

/** `type` as the dialect wants it: one name; `["T","null"]` becomes T + nullable. */
function dialectType(type: unknown): JsonObject {
  const valid = (t: unknown): t is string => typeof t === 'string' && DIALECT_TYPES.has(t.toLowerCase());
  if (valid(type)) return { type };
  if (!Array.isArray(type)) return {};
  const names = type.filter(valid);
  const nonNull = names.filter((t) => t.toLowerCase() !== 'null');
  const nullable = nonNull.length < names.length;
  const [only] = nonNull;
  if (nonNull.length === 0) return names.length > 0 ? { type: 'null' } : {};
  if (nonNull.length === 1) return nullable ? { type: only, nullable: true } : { type: only };
  // Several types: the dialect's only way to say "one of these" is anyOf.
  const anyOf = nonNull.map((t) => ({ type: t }));
  return nullable ? { anyOf, nullable: true } : { anyOf };
}

function dialectList(value: unknown, depth: number, state: DialectState): JsonObject[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.map((v) => dialect(v, depth + 1, state));
}

/** The node's own keywords (its `$ref`, if any, is handled by the caller). */
function dialectOwn(node: JsonObject, depth: number, state: DialectState): JsonObject {
  const out: JsonObject = {};
  // allOf has no dialect equivalent; merging its members keeps the common `allOf: [{$ref}]` meaning.
  for (const member of dialectList(node.allOf, depth, state) ?? []) Object.assign(out, member);

  Object.assign(out, dialectType(node.type));
  if (typeof node.nullable === 'boolean') out.nullable = node.nullable;
  for (const key of STRING_KEYS) if (typeof node[key] === 'string') out[key] = node[key];
  for (const key of NUMBER_KEYS) {
    const n = node[key];
    if (typeof n === 'number' && Number.isFinite(n)) out[key] = n;
  }
  if (node.default !== undefined) out.default = node.default;
  if (node.example !== undefined) out.example = node.example;

  if (Array.isArray(node.enum) && node.enum.length > 0) out.enum = node.enum;
  else if (Object.hasOwn(node, 'const')) out.enum = [node.const];

  if (isObject(node.properties)) {
    const props = Object.entries(node.properties).map(([name, sub]) => [
      name,
      dialect(sub, depth + 1, state),
    ]);
    // An OBJECT with an empty properties map is rejected; without the key it is a free-form object.
    if (props.length > 0) out.properties = Object.fromEntries(props);
  }
  const propertyNames = isObject(out.properties) ? out.properties : {};
  if (Array.isArray(node.required)) {
    const required = node.required.filter(
      (name): name is string => typeof name === 'string' && Object.hasOwn(propertyNames, name),
    );
    if (required.length > 0) out.required = [...new Set(required)];
  }
  if (Array.isArray(node.propertyOrdering)) {
    const ordering = node.propertyOrdering.filter((name): name is string => typeof name === 'string');
    if (ordering.length > 0) out.propertyOrdering = ordering;
  }

  // Tuple-style `items: [...]` has no dialect form; its first member is the closest fit.
  const items: unknown = Array.isArray(node.items) ? node.items[0] : node.items;
  if (items !== undefined) out.items = dialect(items, depth + 1, state);

  // oneOf is stricter than anyOf, but anyOf is all the dialect offers.
  const anyOf = dialectList(node.anyOf, depth, state) ?? dialectList(node.oneOf, depth, state);
  if (anyOf) out.anyOf = anyOf;
  return out;
}

function dialect(node: unknown, depth: number, state: DialectState): JsonObject {
  // Every call is charged, even the trivial ones, so a wide node is never re-expanded once the
  // budget is gone: total work stays proportional to budget + input size.
  state.nodesLeft -= 1;
  if (!isObject(node) || depth > MAX_DIALECT_DEPTH || state.nodesLeft < 0) return {};
  if (typeof node.$ref !== 'string') return dialectOwn(node, depth, state);

  const target = resolveLocalRef(state.root, node.$ref);
  // Unresolvable or cyclic: the reference is dropped and only the sibling keywords remain.
  if (target === undefined || state.expanding.has(target)) return dialectOwn(node, depth, state);
  state.expanding.add(target);
  const inlined = dialect(target, depth + 1, state);
  state.expanding.delete(target);
  // Siblings such as `description` refine the referenced schema, so they win.
  return { ...inlined, ...dialectOwn(node, depth, state) };
}

/** Google's OpenAPI-subset `Schema` for `parameters` / `responseSchema` (§1.4.8). */
export function toSchemaDialect(schema: unknown): Record<string, unknown> {
  return dialect(schema, 0, { root: schema, expanding: new Set(), nodesLeft: MAX_DIALECT_NODES });
}
