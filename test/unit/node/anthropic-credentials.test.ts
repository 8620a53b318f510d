import * as assert from 'node:assert/strict';
import {
  BaseUrlError,
  missingApiKeyMessage,
  resolveAnthropicApiKey,
  resolveAnthropicBaseUrl,
} from '../../../src/node/anthropic-credentials';

describe('Anthropic key and base URL resolution', () => {
  it('takes ANTHROPIC_API_KEY, else CLAUDE_API_KEY, ignoring blank values', () => {
    assert.deepEqual(resolveAnthropicApiKey({ ANTHROPIC_API_KEY: 'a', CLAUDE_API_KEY: 'c' }), {
      apiKey: 'a',
      source: 'ANTHROPIC_API_KEY',
    });
    assert.deepEqual(resolveAnthropicApiKey({ ANTHROPIC_API_KEY: '  ', CLAUDE_API_KEY: ' c \n' }), {
      apiKey: 'c',
      source: 'CLAUDE_API_KEY',
    });
    assert.equal(resolveAnthropicApiKey({}), undefined);
    assert.match(missingApiKeyMessage(), /ANTHROPIC_API_KEY .*CLAUDE_API_KEY.*never read from project files/);
  });

  it('takes an explicit base URL over ANTHROPIC_BASE_URL, and neither means the SDK default', () => {
    assert.equal(resolveAnthropicBaseUrl({}), undefined);
    assert.equal(
      resolveAnthropicBaseUrl({ ANTHROPIC_BASE_URL: 'https://proxy.example.com/' }),
      'https://proxy.example.com',
    );
    assert.equal(
      resolveAnthropicBaseUrl({ ANTHROPIC_BASE_URL: 'https://env.example.com' }, 'https://user.example.com'),
      'https://user.example.com',
    );
    assert.equal(resolveAnthropicBaseUrl({}, 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080');
    assert.equal(resolveAnthropicBaseUrl({}, 'http://localhost:8080/v'), 'http://localhost:8080/v');
  });

  it('refuses base URLs that would leak the key or are not URLs', () => {
    const cases: Array<[string, RegExp]> = [
      ['http://evil.example.com', /plain http to evil\.example\.com/],
      ['http://127.0.0.1.evil.example.com', /plain http/],
      ['ftp://example.com', /must be an http\(s\) URL/],
      ['not a url', /is not a URL/],
      ['https://user:pw@example.com', /must not contain credentials/],
    ];
    for (const [value, message] of cases) {
      assert.throws(
        () => resolveAnthropicBaseUrl({ ANTHROPIC_BASE_URL: value }),
        (e: unknown) => {
          assert.ok(e instanceof BaseUrlError);
          assert.match(e.message, /^ANTHROPIC_BASE_URL /);
          assert.match(e.message, message);
          return true;
        },
      );
    }
  });
});
