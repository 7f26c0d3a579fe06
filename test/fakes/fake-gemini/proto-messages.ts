/**
 * The request messages of the Generative Language API as the REST front end parses them
 * (wire-format §1.4, §1.7, §1.8). Data, not code: `parse-proto-json.ts` walks a body against these
 * tables to reject what the real ESF transcoder rejects (unknown names, lists for singular fields,
 * bad enum values, undecodable bytes). Field names are lowerCamelCase; snake_case is accepted too.
 */

export type ScalarType = 'string' | 'bytes' | 'number' | 'int' | 'bool';

export type FieldType =
  | ScalarType
  /** google.protobuf.Struct: any JSON object (`args`, `response`). */
  | 'struct'
  /** google.protobuf.Value: any JSON (`parametersJsonSchema`, `default`). */
  | 'value'
  | { enum: string }
  | { message: string }
  /** map<string, Message> (Schema.properties). */
  | { map: string };

export interface FieldSpec {
  type: FieldType;
  repeated?: boolean;
  /** Name of the oneof this field belongs to (Part.data). */
  oneof?: string;
}

export type MessageSpec = Record<string, FieldSpec>;

const str: FieldSpec = { type: 'string' };
const int: FieldSpec = { type: 'int' };
const num: FieldSpec = { type: 'number' };
const bool: FieldSpec = { type: 'bool' };
const struct: FieldSpec = { type: 'struct' };
const value: FieldSpec = { type: 'value' };
const strings: FieldSpec = { type: 'string', repeated: true };
const msg = (message: string, repeated = false): FieldSpec => ({ type: { message }, repeated });
const enumOf = (name: string, repeated = false): FieldSpec => ({ type: { enum: name }, repeated });
const data = (type: FieldType): FieldSpec => ({ type, oneof: 'data' });

export const ENUMS: Record<string, readonly string[]> = {
  Type: ['TYPE_UNSPECIFIED', 'STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT', 'NULL'],
  Modality: ['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO'],
  ThinkingLevel: ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'],
  MediaResolution: [
    'MEDIA_RESOLUTION_UNSPECIFIED',
    'MEDIA_RESOLUTION_LOW',
    'MEDIA_RESOLUTION_MEDIUM',
    'MEDIA_RESOLUTION_HIGH',
  ],
  PartMediaResolutionLevel: [
    'MEDIA_RESOLUTION_UNSPECIFIED',
    'MEDIA_RESOLUTION_LOW',
    'MEDIA_RESOLUTION_MEDIUM',
    'MEDIA_RESOLUTION_HIGH',
    'MEDIA_RESOLUTION_ULTRA_HIGH',
  ],
  // Only the categories the Gemini API accepts (§1.4.5); Vertex-only ones are invalid values here.
  HarmCategory: [
    'HARM_CATEGORY_UNSPECIFIED',
    'HARM_CATEGORY_HARASSMENT',
    'HARM_CATEGORY_HATE_SPEECH',
    'HARM_CATEGORY_SEXUALLY_EXPLICIT',
    'HARM_CATEGORY_DANGEROUS_CONTENT',
    'HARM_CATEGORY_CIVIC_INTEGRITY',
  ],
  HarmBlockThreshold: [
    'HARM_BLOCK_THRESHOLD_UNSPECIFIED',
    'BLOCK_LOW_AND_ABOVE',
    'BLOCK_MEDIUM_AND_ABOVE',
    'BLOCK_ONLY_HIGH',
    'BLOCK_NONE',
    'OFF',
  ],
  FunctionCallingMode: ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'],
  DynamicRetrievalMode: ['MODE_UNSPECIFIED', 'MODE_DYNAMIC'],
  Behavior: ['UNSPECIFIED', 'BLOCKING', 'NON_BLOCKING'],
  Scheduling: ['SCHEDULING_UNSPECIFIED', 'SILENT', 'WHEN_IDLE', 'INTERRUPT'],
  Language: ['LANGUAGE_UNSPECIFIED', 'PYTHON'],
  Outcome: ['OUTCOME_UNSPECIFIED', 'OUTCOME_OK', 'OUTCOME_FAILED', 'OUTCOME_DEADLINE_EXCEEDED'],
  TaskType: [
    'TASK_TYPE_UNSPECIFIED',
    'RETRIEVAL_QUERY',
    'RETRIEVAL_DOCUMENT',
    'SEMANTIC_SIMILARITY',
    'CLASSIFICATION',
    'CLUSTERING',
    'QUESTION_ANSWERING',
    'FACT_VERIFICATION',
    'CODE_RETRIEVAL_QUERY',
  ],
};

export const MESSAGES: Record<string, MessageSpec> = {
  GenerateContentRequest: {
    model: str,
    contents: msg('Content', true),
    systemInstruction: msg('Content'),
    tools: msg('Tool', true),
    toolConfig: msg('ToolConfig'),
    safetySettings: msg('SafetySetting', true),
    generationConfig: msg('GenerationConfig'),
    cachedContent: str,
    serviceTier: str,
  },
  Content: { role: str, parts: msg('Part', true) },
  Part: {
    text: data('string'),
    inlineData: data({ message: 'Blob' }),
    fileData: data({ message: 'FileData' }),
    functionCall: data({ message: 'FunctionCall' }),
    functionResponse: data({ message: 'FunctionResponse' }),
    executableCode: data({ message: 'ExecutableCode' }),
    codeExecutionResult: data({ message: 'CodeExecutionResult' }),
    thought: bool,
    thoughtSignature: { type: 'bytes' },
    videoMetadata: msg('VideoMetadata'),
    mediaResolution: msg('PartMediaResolution'),
    partMetadata: struct,
  },
  Blob: { mimeType: str, data: { type: 'bytes' } },
  FileData: { mimeType: str, fileUri: str },
  FunctionCall: { id: str, name: str, args: struct },
  FunctionResponse: {
    id: str,
    name: str,
    response: struct,
    parts: msg('FunctionResponsePart', true),
    willContinue: bool,
    scheduling: enumOf('Scheduling'),
  },
  FunctionResponsePart: { inlineData: data({ message: 'Blob' }) },
  ExecutableCode: { id: str, language: enumOf('Language'), code: str },
  CodeExecutionResult: { id: str, outcome: enumOf('Outcome'), output: str },
  VideoMetadata: { startOffset: str, endOffset: str, fps: num },
  PartMediaResolution: { level: enumOf('PartMediaResolutionLevel') },
  Tool: {
    functionDeclarations: msg('FunctionDeclaration', true),
    googleSearch: msg('GoogleSearch'),
    codeExecution: msg('Empty'),
    urlContext: msg('Empty'),
    googleSearchRetrieval: msg('GoogleSearchRetrieval'),
    // Newer tools the proxy never builds: accepted without looking inside (§1.4.3, out of scope).
    googleMaps: struct,
    fileSearch: struct,
    computerUse: struct,
    mcpServers: { type: 'value', repeated: true },
  },
  Empty: {},
  GoogleSearch: { timeRangeFilter: msg('Interval'), excludeDomains: strings },
  Interval: { startTime: str, endTime: str },
  GoogleSearchRetrieval: { dynamicRetrievalConfig: msg('DynamicRetrievalConfig') },
  DynamicRetrievalConfig: { mode: enumOf('DynamicRetrievalMode'), dynamicThreshold: num },
  FunctionDeclaration: {
    name: str,
    description: str,
    parameters: msg('Schema'),
    parametersJsonSchema: value,
    response: msg('Schema'),
    responseJsonSchema: value,
    behavior: enumOf('Behavior'),
  },
  ToolConfig: {
    functionCallingConfig: msg('FunctionCallingConfig'),
    retrievalConfig: msg('RetrievalConfig'),
  },
  FunctionCallingConfig: { mode: enumOf('FunctionCallingMode'), allowedFunctionNames: strings },
  RetrievalConfig: { latLng: msg('LatLng'), languageCode: str },
  LatLng: { latitude: num, longitude: num },
  SafetySetting: { category: enumOf('HarmCategory'), threshold: enumOf('HarmBlockThreshold') },
  GenerationConfig: {
    candidateCount: int,
    stopSequences: strings,
    maxOutputTokens: int,
    temperature: num,
    topP: num,
    topK: int,
    seed: int,
    presencePenalty: num,
    frequencyPenalty: num,
    responseLogprobs: bool,
    logprobs: int,
    enableEnhancedCivicAnswers: bool,
    responseMimeType: str,
    responseSchema: msg('Schema'),
    responseJsonSchema: value,
    responseModalities: enumOf('Modality', true),
    speechConfig: struct,
    thinkingConfig: msg('ThinkingConfig'),
    imageConfig: msg('ImageConfig'),
    mediaResolution: enumOf('MediaResolution'),
    enableAffectiveDialog: bool,
  },
  ThinkingConfig: { includeThoughts: bool, thinkingBudget: int, thinkingLevel: enumOf('ThinkingLevel') },
  ImageConfig: { aspectRatio: str, imageSize: str },
  // The OpenAPI-3.0 subset of §1.4.8; JSON-Schema-only keywords are unknown names here.
  Schema: {
    type: enumOf('Type'),
    format: str,
    title: str,
    description: str,
    nullable: bool,
    enum: strings,
    items: msg('Schema'),
    minItems: int,
    maxItems: int,
    properties: { type: { map: 'Schema' } },
    required: strings,
    minProperties: int,
    maxProperties: int,
    minLength: int,
    maxLength: int,
    pattern: str,
    minimum: num,
    maximum: num,
    default: value,
    example: value,
    anyOf: msg('Schema', true),
    propertyOrdering: strings,
  },
  CountTokensRequest: {
    model: str,
    contents: msg('Content', true),
    generateContentRequest: msg('GenerateContentRequest'),
  },
  EmbedContentRequest: {
    model: str,
    content: msg('Content'),
    taskType: enumOf('TaskType'),
    title: str,
    outputDimensionality: int,
  },
  BatchEmbedContentsRequest: { requests: msg('EmbedContentRequest', true) },
  PredictRequest: { instances: { type: 'value', repeated: true }, parameters: value },
};
