/** JSON text → its value, or undefined when it is not JSON: for bodies read only for their details. */
export const parseJsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** JSON text → the object it holds, or undefined when it is not JSON or not an object (an array, a string…). */
export const parseJsonObject = (text: string): Record<string, unknown> | undefined => {
  const value = parseJsonOrUndefined(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
};
