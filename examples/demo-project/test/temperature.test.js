'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { celsiusToFahrenheit, fahrenheitToCelsius } = require('../src/temperature');

test('water freezes at 32 °F', () => {
  assert.strictEqual(celsiusToFahrenheit(0), 32);
});

test('water boils at 212 °F', () => {
  assert.strictEqual(celsiusToFahrenheit(100), 212);
});

test('-40 is the same on both scales', () => {
  assert.strictEqual(celsiusToFahrenheit(-40), -40);
  assert.strictEqual(fahrenheitToCelsius(-40), -40);
});

test('the conversions are inverses', () => {
  for (const c of [-10, 0, 21.5, 37, 100]) {
    assert.ok(Math.abs(fahrenheitToCelsius(celsiusToFahrenheit(c)) - c) < 1e-9, `round trip of ${c}`);
  }
});
