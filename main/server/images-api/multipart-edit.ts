/**
 * The multipart/form-data body of /v1/images/edits, as the openai SDK sends it: one `image` file or
 * repeated `image[]` files, an optional `mask` file, and text fields (`prompt`, `model`, `n`, …).
 *
 * Multipart bodies bypass fastify's bodyLimit (the plugin streams them), so the limits are ours:
 * each file and all files together stay within MAX_BODY_MB, and only PNG, JPEG and WebP — checked
 * by their bytes — are taken. Anything malformed is a 400 in OpenAI's shape, never a 500.
 */
import type { FastifyMultipartBaseOptions, Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors';
import { sniffImageType } from './image-bytes';
import type { EditInputs, InputImage } from './parse-image-request';

/** Images to edit in one request; Gemini takes more, but a conversation-sized edit needs few. */
export const MAX_EDIT_IMAGES = 16;
const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 32;

const mb = (maxBodyMb: number): number => Math.round(maxBodyMb * 1024 * 1024);

/** Registration options of @fastify/multipart: per-file and count limits (the total is checked below). */
export const multipartOptions = (maxBodyMb: number): FastifyMultipartBaseOptions => ({
  throwFileSizeLimit: true,
  limits: {
    fileSize: mb(maxBodyMb),
    files: MAX_EDIT_IMAGES + 1,
    fields: MAX_FIELDS,
    fieldSize: MAX_FIELD_BYTES,
    parts: MAX_EDIT_IMAGES + 1 + MAX_FIELDS,
  },
});

export interface EditForm extends EditInputs {
  /** The text fields, last value wins. */
  fields: Record<string, string>;
}

const IMAGE_FIELDS = new Set(['image', 'image[]']);
const FILE_FIELDS = new Set([...IMAGE_FIELDS, 'mask']);

const tooLarge = (maxBodyMb: number): ApiError =>
  new ApiError(
    'request_too_large',
    `The uploaded images are larger than the ${maxBodyMb} MB limit (MAX_BODY_MB).`,
  );

/** The plugin's and busboy's errors → a clear 4xx; our own ApiErrors pass through. */
function formError(err: unknown, maxBodyMb: number): ApiError {
  if (err instanceof ApiError) return err;
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  switch (code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return tooLarge(maxBodyMb);
    case 'FST_FILES_LIMIT':
      return new ApiError('invalid_request', `At most ${MAX_EDIT_IMAGES} images and one mask per request.`);
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new ApiError('invalid_request', 'The form has too many fields.');
  }
  const detail = typeof message === 'string' && message !== '' ? `: ${message}` : '';
  return new ApiError('invalid_request', `The multipart/form-data body could not be read${detail}.`, {
    cause: err,
  });
}

async function readFile(part: Extract<Multipart, { type: 'file' }>): Promise<InputImage & { size: number }> {
  const bytes = await part.toBuffer();
  const mimeType = sniffImageType(bytes);
  if (mimeType === undefined) {
    const name = part.filename ? ` (${part.filename})` : '';
    throw new ApiError(
      'invalid_request',
      `The file in "${part.fieldname}"${name} is not a PNG, JPEG or WebP image.`,
      { param: part.fieldname.replace('[]', '') },
    );
  }
  return { mimeType, data: bytes.toString('base64'), size: bytes.length };
}

/**
 * After an early refusal, the rest of the upload must still be read (and dropped): the parser stops
 * consuming once nobody reads its parts, and an unread body would pin the connection open — never
 * reusable, and holding up the server's shutdown.
 */
function discardRest(request: FastifyRequest): void {
  const raw = request.raw;
  raw.unpipe();
  if (!raw.readableEnded) raw.resume();
}

export async function readEditForm(request: FastifyRequest, maxBodyMb: number): Promise<EditForm> {
  if (!request.isMultipart()) {
    throw new ApiError(
      'invalid_request',
      'POST /v1/images/edits takes multipart/form-data: the image file(s) in "image" or "image[]", an optional "mask" file, and "prompt".',
    );
  }
  const form: EditForm = { fields: {}, images: [] };
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'field') {
        if (FILE_FIELDS.has(part.fieldname))
          throw new ApiError('invalid_request', `"${part.fieldname}" must be a file upload.`, {
            param: part.fieldname.replace('[]', ''),
          });
        if (part.valueTruncated)
          throw new ApiError('invalid_request', `The form field "${part.fieldname}" is too long.`, {
            param: part.fieldname,
          });
        if (typeof part.value === 'string') form.fields[part.fieldname] = part.value;
        continue;
      }
      if (!FILE_FIELDS.has(part.fieldname)) {
        throw new ApiError(
          'invalid_request',
          `Unexpected file field "${part.fieldname}": send images as "image" or "image[]" and the mask as "mask".`,
        );
      }
      const { size, ...image } = await readFile(part);
      total += size;
      if (total > mb(maxBodyMb)) throw tooLarge(maxBodyMb);
      if (part.fieldname === 'mask') form.mask = image;
      else form.images.push(image);
    }
  } catch (err) {
    discardRest(request);
    throw formError(err, maxBodyMb);
  }
  if (form.images.length === 0) {
    throw new ApiError('invalid_request', 'No image to edit: send it as the file field "image".', {
      param: 'image',
    });
  }
  return form;
}
