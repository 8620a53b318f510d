/**
 * JSON Schemas emitted at build time (`schemas/*.schema.json`) from the zod models, for editor
 * validation of `.claude/orchestration.yaml` and `.claude/settings.local.json`.
 * They describe what a user writes (zod "input" side: fields with defaults are optional).
 */
import { z } from 'zod';
import { OrchestrationFileSchema } from '../workflow/schema';
import { SettingsFileSchema } from './settings';

function emit(title: string, schema: z.ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...json, title };
}

export function jsonSchemas(): Record<string, unknown> {
  return {
    orchestration: emit('Codex Context Forge workflows (.claude/orchestration.yaml)', OrchestrationFileSchema),
    settings: emit('Claude settings.local.json with the Codex Context Forge "orchestration" block', SettingsFileSchema),
  };
}
