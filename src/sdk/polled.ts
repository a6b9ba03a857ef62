// How every polling answer goes out: JSON with a strong ETag (of the body, or of what the caller says it depends
// on), or 304 when the SDK already holds that ETag (compared weakly, as If-None-Match is).
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function answerPolled(request: FastifyRequest, reply: FastifyReply, environmentId: string, body: string, tagOf: string = body): FastifyReply {
  const etag = `"${crypto.createHash('sha256').update(tagOf).digest('base64url')}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache').header('x-ld-envid', environmentId);
  const held = request.headers['if-none-match'];
  // If-None-Match compares weakly (RFC 9110 13.1.2): a cache that weakened the tag (W/"…") still holds this body; `*` matches any.
  if (held !== undefined && held.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
