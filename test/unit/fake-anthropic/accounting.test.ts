import * as assert from 'node:assert/strict';
import {
  approxTokens,
  breakpointsOf,
  CACHE_LOOKBACK_BLOCKS,
  countCacheMarkers,
  countPromptTokens,
  PromptCache,
  promptPieces,
} from '../../support/fake-anthropic/accounting';

/** ASCII text of exactly `n` approximate tokens. */
const tokens = (n: number, ch = 'x') => ch.repeat(4 * n);
const EPHEMERAL = { type: 'ephemeral' };

function clockAt(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('fake Messages API: token approximation', () => {
  it('counts ceil(UTF-8 bytes / 4)', () => {
    assert.equal(approxTokens(''), 0);
    assert.equal(approxTokens('abcd'), 1);
    assert.equal(approxTokens('abcde'), 2);
    assert.equal(approxTokens('é'), 1); // 2 bytes
    assert.equal(approxTokens('ééé'), 2); // 6 bytes
    assert.equal(approxTokens('😀😀'), 2); // 8 bytes
  });

  it('orders the prompt tools → system → messages and counts each piece', () => {
    const body = {
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'ls', input: { path: '.' } }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: 'a.ts' }] }],
        },
      ],
      system: 'be brief',
      tools: [{ name: 'ls', description: 'list', input_schema: { type: 'object' } }],
    };
    const pieces = promptPieces(body);
    assert.deepEqual(
      pieces.map((p) => p.path),
      ['tools[0]', 'system', 'messages[0].content[0]', 'messages[1].content[0]', 'messages[2].content[0]'],
    );
    assert.equal(pieces[1]!.tokens, approxTokens('be brief'));
    assert.equal(pieces[3]!.tokens, approxTokens('ls') + approxTokens('{"path":"."}'));
    assert.equal(pieces[4]!.tokens, approxTokens('a.ts'));
    assert.equal(
      countPromptTokens(body),
      pieces.reduce((n, p) => n + p.tokens, 0),
    );
  });

  it('counts breakpoints: explicit markers plus one for a top-level cache_control', () => {
    const body = {
      cache_control: EPHEMERAL,
      system: [{ type: 'text', text: 's', cache_control: EPHEMERAL }],
      tools: [{ name: 't', description: '', input_schema: {}, cache_control: { type: 'ephemeral', ttl: '1h' } }],
      messages: [{ role: 'user', content: 'q' }],
    };
    assert.equal(countCacheMarkers(body), 3);
  });

  it('puts the automatic breakpoint on the last cacheable block (not a thinking block)', () => {
    const body = {
      cache_control: { type: 'ephemeral', ttl: '1h' },
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'ok' },
            { type: 'thinking', thinking: 'hmm', signature: 's' },
          ],
        },
      ],
    };
    const points = breakpointsOf(promptPieces(body), body.cache_control);
    assert.deepEqual([...points.entries()], [[1, '1h']]);
  });
});

describe('fake Messages API: prompt-cache emulation', () => {
  const system = (n: number, extra: Record<string, unknown> = { cache_control: EPHEMERAL }) => [
    { type: 'text', text: tokens(n), ...extra },
  ];

  it('writes a breakpoint prefix on the first request and reads it on the next', () => {
    const clock = clockAt();
    const cache = new PromptCache(clock.now, 1024);
    const first = cache.account('m', { system: system(2000), messages: [{ role: 'user', content: tokens(1) }] });
    assert.deepEqual([first.inputTokens, first.cacheCreationInputTokens, first.cacheReadInputTokens], [1, 2000, 0]);
    const second = cache.account('m', { system: system(2000), messages: [{ role: 'user', content: tokens(3) }] });
    assert.deepEqual([second.inputTokens, second.cacheCreationInputTokens, second.cacheReadInputTokens], [3, 0, 2000]);
    assert.equal(second.totalInputTokens, 2003);
  });

  it('does not cache a prefix shorter than the minimum cacheable length', () => {
    const cache = new PromptCache(clockAt().now, 1024);
    const body = { system: system(1000), messages: [{ role: 'user', content: tokens(1) }] };
    cache.account('m', body);
    const again = cache.account('m', body);
    assert.deepEqual([again.inputTokens, again.cacheCreationInputTokens, again.cacheReadInputTokens], [1001, 0, 0]);
    assert.equal(cache.size, 0);
  });

  it('misses when anything before the breakpoint changes (tools come first), or the model differs', () => {
    const cache = new PromptCache(clockAt().now, 1024);
    const tool = (description: string) => ({ name: 'read_file', description, input_schema: { type: 'object' } });
    const body = (d: string) => ({
      tools: [tool(d)],
      system: system(2000),
      messages: [{ role: 'user', content: 'q' }],
    });
    cache.account('m', body('Reads a file.'));
    assert.equal(cache.account('m', body('Reads a file!')).cacheReadInputTokens, 0);
    assert.ok(cache.account('m', body('Reads a file!')).cacheReadInputTokens > 2000);
    assert.equal(cache.account('other-model', body('Reads a file!')).cacheReadInputTokens, 0);
  });

  it('ignores the cache_control markers themselves when matching a prefix', () => {
    const cache = new PromptCache(clockAt().now, 1024);
    cache.account('m', { system: system(2000), messages: [{ role: 'user', content: 'q' }] });
    const moved = cache.account('m', {
      system: system(2000, {}),
      messages: [{ role: 'user', content: [{ type: 'text', text: 'q2', cache_control: EPHEMERAL }] }],
    });
    assert.equal(moved.cacheReadInputTokens, 2000);
    assert.equal(moved.cacheCreationInputTokens, 1); // the new breakpoint's prefix extends the cached one by 'q2'
  });

  it(`finds an earlier cached prefix up to ${CACHE_LOOKBACK_BLOCKS} blocks back from a breakpoint, not further`, () => {
    const conversation = (blocks: number) => ({
      system: system(2000, {}),
      messages: [
        {
          role: 'user',
          content: Array.from({ length: blocks }, (_, i) => ({
            type: 'text',
            text: `block ${i}`,
            ...(i === blocks - 1 ? { cache_control: EPHEMERAL } : {}),
          })),
        },
      ],
    });
    for (const [blocks, expectHit] of [
      [CACHE_LOOKBACK_BLOCKS - 1, true],
      [CACHE_LOOKBACK_BLOCKS, false],
    ] as const) {
      const cache = new PromptCache(clockAt().now, 1024);
      cache.account('m', { system: system(2000), messages: [{ role: 'user', content: 'first' }] });
      const acc = cache.account('m', conversation(blocks));
      assert.equal(acc.cacheReadInputTokens > 0, expectHit, `${blocks} blocks after the cached prefix`);
      assert.ok(acc.cacheCreationInputTokens > 0, 'the new breakpoint is written either way');
    }
  });

  it('moves the automatic breakpoint forward turn after turn and reads the previous turn', () => {
    const cache = new PromptCache(clockAt().now, 1024);
    const messages: Array<{ role: string; content: string }> = [{ role: 'user', content: tokens(1500) }];
    const turn1 = cache.account('m', { cache_control: EPHEMERAL, messages });
    assert.equal(turn1.cacheCreationInputTokens, 1500);
    messages.push({ role: 'assistant', content: tokens(50) }, { role: 'user', content: tokens(10) });
    const turn2 = cache.account('m', { cache_control: EPHEMERAL, messages });
    assert.deepEqual([turn2.cacheReadInputTokens, turn2.cacheCreationInputTokens, turn2.inputTokens], [1500, 60, 0]);
  });

  it('expires 5-minute entries 5 minutes after their last use, and keeps 1-hour entries longer', () => {
    const clock = clockAt();
    const cache = new PromptCache(clock.now, 1024);
    const body5m = { system: system(2000), messages: [{ role: 'user', content: 'q' }] };
    const body1h = {
      system: system(2000, { cache_control: { type: 'ephemeral', ttl: '1h' } }),
      messages: [{ role: 'user', content: 'other' }],
    };
    cache.account('m5', body5m);
    cache.account('m1', body1h);
    clock.advance(4 * 60_000);
    assert.equal(cache.account('m5', body5m).cacheReadInputTokens, 2000, 'read at 4 min (refreshes the TTL)');
    clock.advance(4 * 60_000);
    assert.equal(cache.account('m5', body5m).cacheReadInputTokens, 2000, 'read 4 min after the refresh');
    clock.advance(5 * 60_000 + 1);
    assert.equal(cache.account('m5', body5m).cacheReadInputTokens, 0, 'expired 5 min after the last read');
    clock.advance(30 * 60_000);
    assert.equal(cache.account('m1', body1h).cacheReadInputTokens, 2000, 'the 1 h entry is still there');
  });

  it('splits cache writes by TTL per segment between breakpoints', () => {
    const cache = new PromptCache(clockAt().now, 1024);
    const acc = cache.account('m', {
      tools: [{ name: 't', description: tokens(1200), cache_control: { type: 'ephemeral', ttl: '1h' } }],
      system: system(800),
      messages: [{ role: 'user', content: tokens(5) }],
    });
    const toolTokens = approxTokens(JSON.stringify({ name: 't', description: tokens(1200) }));
    assert.deepEqual(acc.cacheCreation, { ephemeral_1h_input_tokens: toolTokens, ephemeral_5m_input_tokens: 800 });
    assert.equal(acc.cacheCreationInputTokens, toolTokens + 800);
    assert.equal(acc.inputTokens, 5);
    assert.deepEqual(acc.written, [0, 1]);
  });
});
