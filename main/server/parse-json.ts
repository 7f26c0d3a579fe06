/** JSON text → its value, or undefined when it is not JSON: for bodies read only for their details. */
export const parseJsonOrUndefined = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};
