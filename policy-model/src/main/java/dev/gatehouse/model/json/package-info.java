/** The JSON form of requests and decisions, the strict reading of JSON and YAML input, and the location that names the place of every bad input. */
package dev.gatehouse.model.json;
