/**
 * The scripted model side of the bundled demo (`examples/demo-project`): what the fake Messages API answers when
 * the demo cassette is recorded (`scripts/record-demo-cassette.ts`). Round 1 adds the 32° offset before scaling —
 * the harness's Level 2 fails and its evidence goes back; round 2 scales first. A demonstration of the harness,
 * not a real model's work: the cassette says so in its note.
 */
import { type Reply, reply } from './fake-anthropic';

export const DEMO_PRP = 'PRPs/fix-celsius-to-fahrenheit.md';

export const DEMO_NOTE =
  'Recorded against the fake Anthropic Messages API of this repository (test/support/fake-anthropic) with scripted ' +
  'replies (test/support/demo-replies.ts) — a demonstration of the harness, not the work of a real model. ' +
  'Re-record with: npx tsx scripts/record-demo-cassette.ts';

export function demoReplies(): Reply[] {
  return [
    reply.toolUse(
      'read_file',
      { path: 'test/temperature.test.js' },
      { text: 'Starting with the tests that define the expected values.' },
    ),
    reply.toolUse('read_file', { path: 'src/temperature.js' }),
    reply.toolUse(
      'edit_file',
      {
        path: 'src/temperature.js',
        old_text: '  return (celsius * 9) / 5;',
        new_text: '  return ((celsius + 32) * 9) / 5;',
      },
      { text: 'celsiusToFahrenheit is missing the 32° offset; adding it.' },
    ),
    reply.text('celsiusToFahrenheit now includes the 32° offset. Changed: src/temperature.js.'),
    reply.toolUse(
      'edit_file',
      {
        path: 'src/temperature.js',
        old_text: '  return ((celsius + 32) * 9) / 5;',
        new_text: '  return (celsius * 9) / 5 + 32;',
      },
      { text: 'The gate shows 0 °C → 57.6 °F: I added the offset before scaling. Scaling first, then adding 32.' },
    ),
    reply.text('Fixed: celsiusToFahrenheit scales by 9/5, then adds 32. Changed: src/temperature.js.'),
  ];
}
