import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toParametersJsonSchema, toSchemaDialect } from '../../../main/server/providers/gemini/clean-schema';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Builds `{ items: { items: … { type: 'string' } } }` nested `depth` times without recursion. */
function nestedItems(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i += 1) node = { type: 'array', items: node };
  return node;
}
/** How many `items` levels survived with their content (a cut level is an empty `{}`). */
function depthOfItems(node: unknown): number {
  let depth = 0;
  let current = node;
  while (isObject(current) && isObject(current.items) && current.items.type !== undefined) {
    depth += 1;
    current = current.items;
  }
  return depth;
}

describe('toParametersJsonSchema', () => {
  it('drops $schema and strict at every schema position, and nothing else', () => {
    const input = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      strict: true,
      type: 'object',
      additionalProperties: false,
      properties: {
        strict: { type: 'boolean', strict: true },
        $schema: { type: 'string' },
        list: {
          type: 'array',
          items: { type: 'object', strict: false, properties: { a: { type: ['string', 'null'] } } },
        },
        choice: { anyOf: [{ type: 'string', strict: true }, { $ref: '#/$defs/thing' }] },
      },
      required: ['strict'],
      $defs: { thing: { $schema: 'x', type: 'integer', const: 3 } },
      default: { strict: true, $schema: 'data stays data' },
      enum: [{ strict: 1 }],
    };
    expect(toParametersJsonSchema(input)).toStrictEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        strict: { type: 'boolean' },
        $schema: { type: 'string' },
        list: { type: 'array', items: { type: 'object', properties: { a: { type: ['string', 'null'] } } } },
        choice: { anyOf: [{ type: 'string' }, { $ref: '#/$defs/thing' }] },
      },
      required: ['strict'],
      $defs: { thing: { type: 'integer', const: 3 } },
      default: { strict: true, $schema: 'data stays data' },
      enum: [{ strict: 1 }],
    });
  });

  it('does not mutate its input', () => {
    const input = { $schema: 'x', properties: { a: { strict: true } } };
    const copy = structuredClone(input);
    toParametersJsonSchema(input);
    expect(input).toStrictEqual(copy);
  });

  it('returns non-object input unchanged', () => {
    for (const value of [true, false, 5, 'str', null, undefined, [1, { strict: true }]]) {
      expect(toParametersJsonSchema(value)).toStrictEqual(value);
    }
  });

  it('keeps a property named __proto__ as an own property', () => {
    const input = JSON.parse(
      '{"type":"object","properties":{"__proto__":{"type":"string","strict":true}}}',
    ) as unknown;
    const out = toParametersJsonSchema(input) as { properties: Record<string, unknown> };
    expect(Object.hasOwn(out.properties, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(out.properties)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"type":"object","properties":{"__proto__":{"type":"string"}}}');
  });

  it('cuts absurd nesting to {} instead of overflowing the stack', () => {
    const out = toParametersJsonSchema(nestedItems(100_000));
    expect(depthOfItems(out)).toBe(64);
  });
});

const DIALECT_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'nullable',
  'enum',
  'items',
  'minItems',
  'maxItems',
  'properties',
  'required',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'example',
  'anyOf',
  'propertyOrdering',
]);

describe('toSchemaDialect', () => {
  it('keeps only the keys of the Schema message', () => {
    expect(
      toSchemaDialect({
        $schema: 'x',
        $id: 'y',
        strict: true,
        type: 'object',
        title: 'T',
        description: 'D',
        additionalProperties: false,
        examples: [{}],
        minProperties: 1,
        maxProperties: 3,
        properties: {
          s: {
            type: 'string',
            format: 'date-time',
            pattern: '^a',
            minLength: 1,
            maxLength: 9,
            default: 'a',
            example: 'b',
            exclusiveMinimum: 2,
          },
          n: { type: 'number', minimum: 0, maximum: 10, multipleOf: 2 },
          l: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2, uniqueItems: true },
        },
        required: ['s', 'ghost', 5],
        propertyOrdering: ['s', 'n', 7],
      }),
    ).toStrictEqual({
      type: 'object',
      title: 'T',
      description: 'D',
      minProperties: 1,
      maxProperties: 3,
      properties: {
        s: {
          type: 'string',
          format: 'date-time',
          pattern: '^a',
          minLength: 1,
          maxLength: 9,
          default: 'a',
          example: 'b',
        },
        n: { type: 'number', minimum: 0, maximum: 10 },
        l: { type: 'array', items: { type: 'integer' }, minItems: 1, maxItems: 2 },
      },
      required: ['s'],
      propertyOrdering: ['s', 'n'],
    });
  });

  it('turns type arrays into one type plus nullable, or anyOf', () => {
    expect(toSchemaDialect({ type: ['string', 'null'] })).toStrictEqual({ type: 'string', nullable: true });
    expect(toSchemaDialect({ type: ['null', 'INTEGER'] })).toStrictEqual({ type: 'INTEGER', nullable: true });
    expect(toSchemaDialect({ type: ['null'] })).toStrictEqual({ type: 'null' });
    expect(toSchemaDialect({ type: ['string', 'number'] })).toStrictEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    });
    expect(toSchemaDialect({ type: ['string', 'number', 'null'] })).toStrictEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
      nullable: true,
    });
    expect(toSchemaDialect({ type: ['bogus', 3] })).toStrictEqual({});
    expect(toSchemaDialect({ type: 'bogus' })).toStrictEqual({});
  });

  it('turns const into a one-value enum and keeps enum', () => {
    expect(toSchemaDialect({ type: 'string', const: 'on' })).toStrictEqual({ type: 'string', enum: ['on'] });
    expect(toSchemaDialect({ const: null })).toStrictEqual({ enum: [null] });
    expect(toSchemaDialect({ type: 'string', enum: ['a', 'b'], const: 'c' })).toStrictEqual({
      type: 'string',
      enum: ['a', 'b'],
    });
  });

  it('keeps anyOf, maps oneOf to anyOf and merges allOf', () => {
    expect(toSchemaDialect({ anyOf: [{ type: 'string', strict: true }, { type: 'integer' }] })).toStrictEqual(
      {
        anyOf: [{ type: 'string' }, { type: 'integer' }],
      },
    );
    expect(toSchemaDialect({ oneOf: [{ type: 'string' }, { const: 1 }] })).toStrictEqual({
      anyOf: [{ type: 'string' }, { enum: [1] }],
    });
    expect(
      toSchemaDialect({ allOf: [{ type: 'object' }, { description: 'base' }], description: 'own' }),
    ).toStrictEqual({
      type: 'object',
      description: 'own',
    });
  });

  it('inlines local $ref from $defs and definitions; siblings refine the target', () => {
    const schema = {
      type: 'object',
      properties: {
        home: { $ref: '#/$defs/address', description: 'Home address' },
        work: { $ref: '#/definitions/address' },
        tag: { $ref: '#/$defs/a~1b' },
        pointer: { $ref: '#/properties/home/description' },
      },
      $defs: {
        address: {
          type: 'object',
          description: 'An address',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        'a/b': { type: 'string' },
      },
      definitions: { address: { type: 'string' } },
    };
    expect(toSchemaDialect(schema)).toStrictEqual({
      type: 'object',
      properties: {
        home: {
          type: 'object',
          description: 'Home address',
          properties: { city: { type: 'string' } },
          required: ['city'],
        },
        work: { type: 'string' },
        tag: { type: 'string' },
        pointer: {},
      },
    });
  });

  it('drops remote, anchor, malformed and missing refs, keeping their siblings', () => {
    for (const $ref of [
      'https://example.com/s.json',
      '#anchor',
      '#/%ZZ',
      '#/$defs/missing',
      '#/$defs/__proto__',
      '#/$defs/toString',
    ]) {
      expect(toSchemaDialect({ $ref, description: 'kept', $defs: {} })).toStrictEqual({
        description: 'kept',
      });
    }
  });

  it('cuts $ref cycles', () => {
    const tree = {
      $ref: '#/$defs/node',
      $defs: {
        node: {
          type: 'object',
          properties: {
            value: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/node' } },
          },
        },
      },
    };
    expect(toSchemaDialect(tree)).toStrictEqual({
      type: 'object',
      properties: { value: { type: 'string' }, children: { type: 'array', items: {} } },
    });
    expect(toSchemaDialect({ $ref: '#', description: 'self' })).toStrictEqual({ description: 'self' });
    expect(
      toSchemaDialect({
        $ref: '#/$defs/a',
        $defs: { a: { $ref: '#/$defs/b' }, b: { $ref: '#/$defs/a', title: 'b' } },
      }),
    ).toStrictEqual({ title: 'b' });
  });

  it('stays bounded when references double at each level', () => {
    const defs: Record<string, unknown> = { d40: { type: 'string' } };
    for (let i = 0; i < 40; i += 1) {
      defs[`d${i}`] = {
        type: 'object',
        properties: { l: { $ref: `#/$defs/d${i + 1}` }, r: { $ref: `#/$defs/d${i + 1}` } },
      };
    }
    const out = toSchemaDialect({ $ref: '#/$defs/d0', $defs: defs });
    expect(JSON.stringify(out).length).toBeLessThan(2_000_000);
    expect(out.type).toBe('object');
  });

  it('cuts nesting deeper than 32 to {}', () => {
    expect(depthOfItems(toSchemaDialect(nestedItems(31)))).toBe(31);
    expect(depthOfItems(toSchemaDialect(nestedItems(32)))).toBe(32);
    expect(depthOfItems(toSchemaDialect(nestedItems(40)))).toBe(32);
    expect(depthOfItems(toSchemaDialect(nestedItems(100_000)))).toBe(32);
  });

  it('drops an empty properties map and uses the first member of tuple items', () => {
    expect(toSchemaDialect({ type: 'object', properties: {}, required: ['x'] })).toStrictEqual({
      type: 'object',
    });
    expect(toSchemaDialect({ type: 'array', items: [{ type: 'string' }, { type: 'number' }] })).toStrictEqual(
      {
        type: 'array',
        items: { type: 'string' },
      },
    );
  });

  it('turns non-object input into {}', () => {
    for (const value of [null, undefined, 1, 'x', true, [], [{ type: 'string' }]]) {
      expect(toSchemaDialect(value)).toStrictEqual({});
    }
    expect(
      toSchemaDialect({ properties: [{ type: 'string' }], items: 'x', anyOf: { type: 'string' } }),
    ).toStrictEqual({
      items: {},
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Property-based: hostile input never throws and never produces a forbidden key.

/** Independent list of JSON-Schema positions that hold subschemas (maps and single/list positions). */
const MAP_POSITIONS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUB_POSITIONS = [
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
];

function jsonSchemaViolations(node: unknown, path = '$'): string[] {
  if (!isObject(node)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'strict') found.push(`${path}.${key}`);
    if (MAP_POSITIONS.includes(key) && isObject(value)) {
      for (const [name, sub] of Object.entries(value))
        found.push(...jsonSchemaViolations(sub, `${path}.${key}.${name}`));
    } else if (SUB_POSITIONS.includes(key)) {
      const subs = Array.isArray(value) ? value : [value];
      subs.forEach((sub, i) => found.push(...jsonSchemaViolations(sub, `${path}.${key}[${i}]`)));
    }
  }
  return found;
}

function dialectViolations(node: unknown, path = '$'): string[] {
  if (!isObject(node)) return [`${path} is not an object`];
  const found: string[] = [];
  for (const key of Object.keys(node)) if (!DIALECT_KEYS.has(key)) found.push(`${path}.${key}`);
  if (node.type !== undefined && typeof node.type !== 'string') found.push(`${path}.type is not a string`);
  if (node.properties !== undefined) {
    if (!isObject(node.properties) || Object.keys(node.properties).length === 0)
      found.push(`${path}.properties`);
    else
      for (const [name, sub] of Object.entries(node.properties))
        found.push(...dialectViolations(sub, `${path}.properties.${name}`));
  }
  if (node.items !== undefined) found.push(...dialectViolations(node.items, `${path}.items`));
  if (node.anyOf !== undefined) {
    if (!Array.isArray(node.anyOf)) found.push(`${path}.anyOf`);
    else node.anyOf.forEach((sub, i) => found.push(...dialectViolations(sub, `${path}.anyOf[${i}]`)));
  }
  return found;
}

const keyword = fc.constantFrom(
  'type',
  'properties',
  'items',
  'prefixItems',
  'anyOf',
  'oneOf',
  'allOf',
  '$ref',
  '$defs',
  'definitions',
  'const',
  'enum',
  'required',
  'additionalProperties',
  '$schema',
  'strict',
  'nullable',
  'description',
  'default',
  'examples',
  'minimum',
  'format',
  'propertyOrdering',
  'not',
  'if',
  '__proto__',
  'constructor',
);
const refValue = fc.constantFrom(
  '#',
  '#/$defs/a',
  '#/$defs/b',
  '#/definitions/a',
  '#/properties/x',
  '#/properties/x/items',
  '#/$defs/__proto__',
  '#/%ZZ',
  '#/items/0',
  '#/anyOf/1',
  'http://example.com/s',
  '#anchor',
  '#/$defs/a~1b',
);
const typeValue = fc.constantFrom(
  'string',
  'object',
  'NULL',
  'bogus',
  ['string', 'null'],
  ['null'],
  ['integer', 'number'],
  [3],
);

const { schema: hostileSchema } = fc.letrec((tie) => ({
  // Mostly keyword objects: random JSON rarely spells a keyword, and keywords are where the rules are.
  schema: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
    { arbitrary: fc.dictionary(keyword, tie('value'), { maxKeys: 6 }), weight: 4 },
  ),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: fc.constantFrom(true, false, null, 0, 1, ''), weight: 2 },
    { arbitrary: refValue, weight: 2 },
    { arbitrary: typeValue, weight: 2 },
    { arbitrary: tie('schema'), weight: 2 },
    { arbitrary: fc.array(tie('schema'), { maxLength: 3 }), weight: 1 },
    {
      arbitrary: fc.dictionary(
        fc.constantFrom('a', 'b', 'x', 'a/b', 'strict', '$schema', '__proto__'),
        tie('schema'),
        {
          maxKeys: 3,
        },
      ),
      weight: 2,
    },
  ),
}));

describe('clean-schema properties', () => {
  const inputs = fc.oneof(fc.jsonValue(), hostileSchema);

  it('toSchemaDialect never throws and emits only dialect keys', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(dialectViolations(toSchemaDialect(input))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('toParametersJsonSchema never throws and never emits $schema or strict at a schema position', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        expect(jsonSchemaViolations(toParametersJsonSchema(input))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('toParametersJsonSchema output is still JSON (serialisable, same data elsewhere)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const out = toParametersJsonSchema(input);
        expect(() => JSON.stringify(out)).not.toThrow();
        if (!isObject(input)) expect(out).toBe(input);
      }),
      { numRuns: 500 },
    );
  });
});
