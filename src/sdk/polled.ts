// How every polling answer goes out: JSON with a strong ETag (of the body, or of what the caller says it depends
// on), or 304 when the SDK already holds that ETag.
import crypto from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function answerPolled(request: FastifyRequest, reply: FastifyReply, environmentId: string, body: string, tagOf: string = body): FastifyReply {
  const etag = `"${crypto.createHash('sha256').update(tagOf).digest('base64url')}"`;
  reply.header('etag', etag).header('cache-control', 'no-cache').header('x-ld-envid', environmentId);
  const held = request.headers['if-none-match'];
  if (held !== undefined && held.split(',').some((tag) => tag.trim() === etag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}
