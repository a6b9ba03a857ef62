// multipart/form-data bodies (handed to routes with `config.multipart` as text): their parts, by name.
import { ApiError } from './errors.js';

export interface FormPart {
  /** The part's field name (`name="…"` of its Content-Disposition), '' when it has none. */
  name: string;
  /** The uploaded file's name, for a file part. */
  filename?: string;
  content: string;
}

const unreadable = (message: string) => new ApiError(400, 'invalid_request', message);

/** The parts of a multipart/form-data body; a body that is not one (no boundary, no parts) is a 400. */
export function formParts(body: unknown, contentType: string | undefined, message = 'Unable to process file'): FormPart[] {
  const boundary = /boundary=\s*"?([^";]+?)"?\s*(;|$)/i.exec(contentType ?? '')?.[1];
  if (typeof body !== 'string' || !boundary) throw unreadable(message);
  const parts = body
    .split(`--${boundary}`)
    .slice(1)
    .filter((part) => !part.startsWith('--'))
    .flatMap((part): FormPart[] => {
      const split = part.indexOf('\r\n\r\n');
      if (split < 0) return [];
      const headers = part.slice(0, split);
      const name = /;\s*name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const filename = /;\s*filename="([^"]*)"/i.exec(headers)?.[1];
      return [{ name, ...(filename !== undefined ? { filename } : {}), content: part.slice(split + 4).replace(/\r\n$/, '') }];
    });
  if (parts.length === 0) throw unreadable(message);
  return parts;
}
