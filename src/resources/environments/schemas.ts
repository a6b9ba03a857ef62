// The EnvironmentPost body, shared by postEnvironment and postProject's `environments`.
import { Type, type Static } from '@sinclair/typebox';
import { Key, Name, Tags } from '../../http/schemas.js';

export const EnvironmentPost = Type.Object({
  name: Name,
  key: Key,
  color: Type.String({ pattern: '^[0-9A-Fa-f]{6}$' }),
  defaultTtl: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  secureMode: Type.Optional(Type.Boolean()),
  defaultTrackEvents: Type.Optional(Type.Boolean()),
  confirmChanges: Type.Optional(Type.Boolean()),
  requireComments: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
  source: Type.Optional(Type.Object({ key: Key, version: Type.Optional(Type.Integer()) })),
  critical: Type.Optional(Type.Boolean()),
});
export type EnvironmentPost = Static<typeof EnvironmentPost>;
