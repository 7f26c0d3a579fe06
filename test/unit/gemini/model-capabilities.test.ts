import { describe, expect, it } from 'vitest';
import type { GeminiModel } from '../../../main/server/providers/gemini/gemini-types';
import {
  capabilitiesOf,
  thinkingVariantIds,
  type ModelCapabilities,
} from '../../../main/server/providers/gemini/model-capabilities';

const budget = (min: number, max: number, canDisable: boolean, defaultOn: boolean) =>
  ({ kind: 'budget', min, max, canDisable, defaultOn }) as const;
const PRO_25 = budget(128, 32768, false, true);
const FLASH_25 = budget(0, 24576, true, true);
const LITE_25 = budget(512, 24576, true, false);
const NONE = { kind: 'none' } as const;
const ALL_LEVELS = { kind: 'level', levels: ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] } as const;

const caps = (
  thinking: ModelCapabilities['thinking'],
  over: Partial<Omit<ModelCapabilities, 'thinking'>> = {},
): ModelCapabilities => ({
  thinking,
  multipleCandidates: true,
  imageOutput: false,
  systemInstruction: true,
  penalties: false,
  jsonModeBesideFunctions: false,
  enforcesThoughtSignatures: false,
  ...over,
});
/** 1.5 and 2.0 text models are the only ones that accept presence / frequency penalties. */
const takesPenalties = { penalties: true };
const gemini3 = (levels: string[], over: Partial<ModelCapabilities> = {}) =>
  caps({ kind: 'level', levels } as ModelCapabilities['thinking'], {
    enforcesThoughtSignatures: true,
    multipleCandidates: false,
    jsonModeBesideFunctions: true,
    ...over,
  });
const image = { imageOutput: true, multipleCandidates: false };

describe('capabilitiesOf', () => {
  it.each<[string, ModelCapabilities]>([
    ['gemini-2.5-pro', caps(PRO_25)],
    ['gemini-2.5-pro-preview-06-05', caps(PRO_25)],
    ['gemini-pro-latest', caps(PRO_25)],
    ['gemini-2.5-flash', caps(FLASH_25)],
    ['gemini-2.5-flash-preview-09-2025', caps(FLASH_25)],
    ['gemini-flash-latest', caps(FLASH_25)],
    ['gemini-2.5-flash-lite', caps(LITE_25)],
    ['gemini-2.5-flash-lite-preview-09-2025', caps(LITE_25)],
    ['gemini-flash-lite-latest', caps(LITE_25)],
    ['models/GEMINI-2.5-FLASH', caps(FLASH_25)],
    ['gemini-3-pro-preview', gemini3(['LOW', 'HIGH'])],
    ['gemini-3-flash-preview', gemini3(['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'])],
    ['gemini-3.1-pro-preview', gemini3(['LOW', 'MEDIUM', 'HIGH'])],
    ['gemini-3.1-flash-lite-preview', gemini3(['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'])],
    ['gemini-3-pro-image-preview', gemini3(['LOW', 'HIGH'], image)],
    [
      'nano-banana-pro-preview',
      caps({ kind: 'level', levels: ['LOW', 'HIGH'] }, { ...image, enforcesThoughtSignatures: true }),
    ],
    ['gemini-2.5-flash-image', caps(NONE, image)],
    ['gemini-2.5-flash-image-preview', caps(NONE, image)],
    ['gemini-2.0-flash', caps(NONE, takesPenalties)],
    ['gemini-2.0-flash-lite', caps(NONE, takesPenalties)],
    ['gemini-2.0-flash-001', caps(NONE, takesPenalties)],
    ['gemini-1.5-pro', caps(NONE, takesPenalties)],
    ['gemini-2.0-flash-thinking-exp-01-21', caps(NONE)],
    ['gemini-exp-1206', caps(NONE)],
    ['gemini-2.0-flash-exp', caps(NONE, image)],
    ['gemini-2.0-flash-exp-image-generation', caps(NONE, { ...image, systemInstruction: false })],
    ['gemini-2.0-flash-preview-image-generation', caps(NONE, { ...image, systemInstruction: false })],
    ['gemma-3-27b-it', caps(NONE, { systemInstruction: false })],
    ['gemini-2.5-flash-preview-tts', caps(NONE)],
    ['some-future-model', caps(NONE)],
  ])('%s', (id, expected) => {
    expect(capabilitiesOf(id)).toStrictEqual(expected);
  });

  it('lets a listed thinking model upgrade an unknown id, by generation', () => {
    const listed = (name: string): GeminiModel => ({ name: `models/${name}`, thinking: true });
    expect(capabilitiesOf('gemini-2.7-flash', listed('gemini-2.7-flash')).thinking).toStrictEqual(
      budget(512, 24576, false, true),
    );
    expect(capabilitiesOf('gemini-3.1-flash-image-preview', listed('x')).thinking).toStrictEqual({
      kind: 'level',
      levels: ['LOW', 'HIGH'],
    });
    expect(capabilitiesOf('gemini-3.1-flash-image-preview').thinking).toStrictEqual(NONE);
  });

  it('does not let a listing override a family the table knows does not think', () => {
    expect(
      capabilitiesOf('gemini-2.0-flash', { name: 'models/gemini-2.0-flash', thinking: true }).thinking,
    ).toEqual(NONE);
  });

  it('keeps the 3 Flash level set for dated previews', () => {
    expect(capabilitiesOf('gemini-3-flash-preview-12-2025').thinking).toStrictEqual(ALL_LEVELS);
  });
});

describe('thinkingVariantIds', () => {
  const model = (name: string, extra: Partial<GeminiModel> = {}): GeminiModel => ({
    name: `models/${name}`,
    supportedGenerationMethods: ['generateContent', 'countTokens'],
    ...extra,
  });

  it('lists off, max and in-range budget examples for a budget model', () => {
    expect(thinkingVariantIds(model('gemini-2.5-flash', { thinking: true }))).toEqual([
      'gemini-2.5-flash-nothinking',
      'gemini-2.5-flash-maxthinking',
      'gemini-2.5-flash-thinking-1024',
      'gemini-2.5-flash-thinking-8192',
    ]);
    expect(thinkingVariantIds(model('gemini-2.5-pro'))).toEqual([
      'gemini-2.5-pro-nothinking',
      'gemini-2.5-pro-maxthinking',
      'gemini-2.5-pro-thinking-1024',
      'gemini-2.5-pro-thinking-8192',
    ]);
  });

  it('lists variants for a level model (budgets map to levels)', () => {
    expect(thinkingVariantIds(model('gemini-3-pro-preview'))).toEqual([
      'gemini-3-pro-preview-nothinking',
      'gemini-3-pro-preview-maxthinking',
      'gemini-3-pro-preview-thinking-1024',
      'gemini-3-pro-preview-thinking-8192',
    ]);
  });

  it('lists nothing for models that do not think or do not chat', () => {
    expect(thinkingVariantIds(model('gemini-2.0-flash'))).toEqual([]);
    expect(thinkingVariantIds(model('gemini-2.5-flash-image'))).toEqual([]);
    expect(
      thinkingVariantIds(
        model('gemini-embedding-001', { supportedGenerationMethods: ['embedContent'], thinking: true }),
      ),
    ).toEqual([]);
    expect(
      thinkingVariantIds(model('imagen-4.0-generate-001', { supportedGenerationMethods: ['predict'] })),
    ).toEqual([]);
    expect(
      thinkingVariantIds(model('gemini-2.5-flash', { supportedGenerationMethods: ['bidiGenerateContent'] })),
    ).toEqual([]);
  });

  it('uses the listing to add variants for an unknown thinking model', () => {
    expect(thinkingVariantIds(model('gemini-2.7-pro', { thinking: true }))).toEqual([
      'gemini-2.7-pro-nothinking',
      'gemini-2.7-pro-maxthinking',
      'gemini-2.7-pro-thinking-1024',
      'gemini-2.7-pro-thinking-8192',
    ]);
    expect(thinkingVariantIds(model('gemini-2.7-pro'))).toEqual([]);
  });
});
