/**
 * JSON Schemas emitted at build time (`schemas/*.schema.json`) from the zod models, for editor
 * validation of `.claude/orchestration.yaml` and `.claude/settings.local.json`.
 */
export function jsonSchemas(): Record<string, unknown> {
  return {};
}
