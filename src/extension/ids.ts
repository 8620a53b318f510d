/** Ids the manifest (package.json `contributes`) and the code share. Cheap: loaded at activation. */
export const COMMAND_IDS = [
  'contextForge.orchestrate',
  'contextForge.initProject',
  'contextForge.createPrp',
  'contextForge.executePrp',
  'contextForge.validatePrp',
  'contextForge.lintPrp',
  'contextForge.resumeRun',
  'contextForge.stopRun',
  'contextForge.showPanel',
  'contextForge.setApiKey',
  'contextForge.clearApiKey',
  'contextForge.refresh',
  'contextForge.runLevel',
  'contextForge.openReport',
  'contextForge.rerun',
  'contextForge.openItem',
  'contextForge.revealReport',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];

export const VIEW_PRPS = 'contextForge.prps';
export const VIEW_RUNS = 'contextForge.runs';
export const EXTENSION_ID = 'codex-context-forge.codex-context-forge';
export const OUTPUT_NAME = 'Context Forge';
