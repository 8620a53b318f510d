'use strict';

/** Converts degrees Celsius to degrees Fahrenheit. */
function celsiusToFahrenheit(celsius) {
  return (celsius * 9) / 5;
}

/** Converts degrees Fahrenheit to degrees Celsius. */
function fahrenheitToCelsius(fahrenheit) {
  return ((fahrenheit - 32) * 5) / 9;
}

module.exports = { celsiusToFahrenheit, fahrenheitToCelsius };
