/**
 * Fake Gemini upstream for integration tests (wire-format §1, §6 "Gemini fake"). A strict referee:
 * what the real API would reject, it rejects the same way.
 */
export { DEFAULT_FAKE_KEY, startFakeGemini } from './server';
export { makePng } from './png';
export { makeJpeg } from './jpeg';
export { embeddingVector } from './embed-endpoint';
export type {
  FakeGemini,
  FakeGeminiOptions,
  FakeModelCapabilities,
  FakeModelEntry,
  FunctionCallSpec,
  KeyBehaviour,
  RecordedRequest,
  Scenario,
  ScriptHandler,
} from './types';
