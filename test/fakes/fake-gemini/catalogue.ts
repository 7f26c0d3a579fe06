/**
 * The fake's model catalogue: loaded from data (wire-format §2: catalogues change monthly, keep them
 * out of code), with capability defaults for entries that do not spell them out.
 */
import { readFileSync } from 'node:fs';
import type { GeminiModel } from '../../../main/server/providers/gemini/gemini-types';
import type { FakeModelCapabilities, FakeModelEntry } from './types';

const FIXTURE_URL = new URL('../../fixtures/gemini-models.json', import.meta.url);

export interface ResolvedCapabilities {
  thinkingKind: 'budget' | 'level' | 'none';
  budgetMin: number;
  budgetMax: number;
  budgetCanDisable: boolean;
  budgetDefault: number;
  levels: string[];
  maxCandidates: number;
  imageOutput: boolean;
  imageMimeType: 'image/png' | 'image/jpeg';
  systemInstruction: boolean;
  penalties: boolean;
  logprobs: boolean;
  requiresTextModality: boolean;
  enforcesThoughtSignatures: boolean;
  signsTextParts: boolean;
  jsonModeBesideFunctions: boolean;
  embeddingDimensions: number;
}

export interface CatalogueModel {
  /** Id without the `models/` prefix, as it appears in URLs. */
  id: string;
  /** What `GET /models` shows: the entry without fake-only data. */
  wire: GeminiModel;
  methods: readonly string[];
  caps: ResolvedCapabilities;
}

export function loadDefaultModels(): FakeModelEntry[] {
  const parsed = JSON.parse(readFileSync(FIXTURE_URL, 'utf8')) as { models?: unknown };
  if (!Array.isArray(parsed.models)) throw new Error('gemini-models.json: "models" must be an array');
  return parsed.models as FakeModelEntry[];
}

/** Fills what an entry leaves out, so tests may pass bare `GeminiModel`s. */
function resolveCapabilities(entry: FakeModelEntry, id: string): ResolvedCapabilities {
  const c: FakeModelCapabilities = entry.capabilities ?? {};
  const thinkingKind = c.thinkingKind ?? (entry.thinking === true ? 'budget' : 'none');
  return {
    thinkingKind,
    budgetMin: c.budgetMin ?? 0,
    budgetMax: c.budgetMax ?? 24576,
    budgetCanDisable: c.budgetCanDisable ?? true,
    budgetDefault: c.budgetDefault ?? -1,
    levels: c.levels ?? ['MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
    maxCandidates: c.maxCandidates ?? 8,
    imageOutput: c.imageOutput ?? id.includes('image'),
    imageMimeType: c.imageMimeType ?? 'image/png',
    systemInstruction: c.systemInstruction ?? true,
    penalties: c.penalties ?? false,
    logprobs: c.logprobs ?? false,
    requiresTextModality: c.requiresTextModality ?? false,
    enforcesThoughtSignatures: c.enforcesThoughtSignatures ?? false,
    signsTextParts: c.signsTextParts ?? false,
    jsonModeBesideFunctions: c.jsonModeBesideFunctions ?? false,
    embeddingDimensions: c.embeddingDimensions ?? 768,
  };
}

export class Catalogue {
  readonly models: readonly CatalogueModel[];
  private readonly byId: Map<string, CatalogueModel>;

  constructor(entries: readonly FakeModelEntry[]) {
    this.models = entries.map((entry) => {
      const id = entry.name.replace(/^models\//, '');
      const { capabilities: _fakeOnly, ...wire } = entry;
      return {
        id,
        wire: { ...wire, name: `models/${id}` },
        methods: entry.supportedGenerationMethods ?? [],
        caps: resolveCapabilities(entry, id),
      };
    });
    this.byId = new Map(this.models.map((m) => [m.id, m]));
  }

  find(id: string): CatalogueModel | undefined {
    return this.byId.get(id.replace(/^models\//, ''));
  }
}
