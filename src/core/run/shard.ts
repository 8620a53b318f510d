/**
 * `--batch a,b,c --shard i/n`: the i-th of n shares of a batch, so a CI job matrix spreads a large batch
 * over many machines. Items are dealt round-robin in the order given, so shares differ by at most one.
 */
export interface ShardSpec {
  index: number;
  total: number;
}

export function parseShard(text: string): ShardSpec | { error: string } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return { error: `--shard must look like i/n (e.g. 2/4), got "${text}"` };
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total) return { error: `--shard ${text}: i must be between 1 and n (n ≥ 1)` };
  return { index, total };
}

export function shardOf<T>(items: readonly T[], shard: ShardSpec): T[] {
  return items.filter((_, i) => i % shard.total === shard.index - 1);
}

export function parseBatch(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
